using System.IO.Compression;
using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language.Go;

/// <summary>
/// A Go program built by the real toolchain, offline: its two dependencies come from a file-based module
/// proxy the fixture writes (GOPROXY=file://…), one of them replaced by another module, so the binary's build
/// info has <c>mod</c>, <c>dep</c> and <c>=&gt;</c> lines. Built for Linux (ELF) and Windows (PE).
/// </summary>
internal static class GoFixture
{
    private const string MainGo = """
        package main

        import (
        	"fmt"

        	"example.com/greet"
        	"example.com/old"
        )

        func main() { fmt.Println(greet.Hello(), old.Hello()) }
        """;

    private const string GoMod = """
        module example.com/hello

        go 1.19

        require (
        	example.com/greet v1.2.3 // a comment
        	example.com/old v1.0.0
        )

        replace example.com/old v1.0.0 => example.com/new v1.1.0
        """;

    private static readonly Lazy<string> Dir = new(() => LanguageAnalyzerHarness.Cached("go-hello-1", Make));

    /// <summary>The directory with <c>src/</c> (go.mod, main.go), <c>hello</c> (ELF) and <c>hello.exe</c> (PE).</summary>
    public static string Path => Dir.Value;

    /// <summary>What <c>go version -m</c> says of a binary: the Go version and the tab-separated lines after it.</summary>
    public static (string GoVersion, List<string[]> Lines) GoVersionM(string binary)
    {
        var output = Tool.Run("go", ["version", "-m", binary]).Split('\n');
        var goVersion = output[0][(output[0].IndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
        var lines = output.Skip(1).Select(l => l.Trim('\t', '\r').Split('\t')).Where(f => f[0].Length > 0).ToList();
        return (goVersion, lines);
    }

    private static void Make(string dir)
    {
        var proxy = System.IO.Path.Combine(dir, "proxy");
        Module(proxy, "example.com/greet", "v1.2.3", "greet", "example.com/greet");
        Module(proxy, "example.com/new", "v1.1.0", "old", "example.com/old");
        var src = System.IO.Path.Combine(dir, "src");
        Directory.CreateDirectory(src);
        File.WriteAllText(System.IO.Path.Combine(src, "go.mod"), GoMod);
        File.WriteAllText(System.IO.Path.Combine(src, "main.go"), MainGo);
        foreach (var (goos, output) in new[] { ("linux", "hello"), ("windows", "hello.exe") })
        {
            var env = new Dictionary<string, string>
            {
                ["GOPROXY"] = "file://" + proxy,
                ["GOFLAGS"] = "-mod=mod",
                ["GOSUMDB"] = "off",
                ["GOPATH"] = System.IO.Path.Combine(dir, "gopath"),
                ["GOCACHE"] = System.IO.Path.Combine(TestPaths.Cache, "lang", "gocache"),
                ["CGO_ENABLED"] = "0",
                ["GO111MODULE"] = "on",
                ["GOOS"] = goos,
                ["GOARCH"] = "amd64",
            };
            Tool.Run("go", ["build", "-o", System.IO.Path.Combine(dir, output), "."], workingDirectory: src, timeout: TimeSpan.FromMinutes(8), env: env);
        }

        // The module cache is read-only by design; nothing else needs it.
        Tool.Run("chmod", ["-R", "u+w", System.IO.Path.Combine(dir, "gopath")]);
        Directory.Delete(System.IO.Path.Combine(dir, "gopath"), recursive: true);
    }

    /// <summary>Writes one module version in the GOPROXY protocol's file layout (list, .info, .mod, .zip).</summary>
    private static void Module(string proxy, string path, string version, string package, string declaredPath)
    {
        var dir = System.IO.Path.Combine(proxy, path, "@v");
        Directory.CreateDirectory(dir);
        var goMod = $"module {declaredPath}\n\ngo 1.19\n";
        File.WriteAllText(System.IO.Path.Combine(dir, "list"), version + "\n");
        File.WriteAllText(System.IO.Path.Combine(dir, version + ".info"), $$"""{"Version":"{{version}}","Time":"2023-01-01T00:00:00Z"}""");
        File.WriteAllText(System.IO.Path.Combine(dir, version + ".mod"), goMod);
        using var zip = ZipFile.Open(System.IO.Path.Combine(dir, version + ".zip"), ZipArchiveMode.Create);
        Add(zip, $"{path}@{version}/go.mod", goMod);
        Add(zip, $"{path}@{version}/{package}.go", $"package {package}\n\nfunc Hello() string {{ return \"{path} {version}\" }}\n");
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var w = new StreamWriter(zip.CreateEntry(name).Open());
        w.Write(text);
    }
}
