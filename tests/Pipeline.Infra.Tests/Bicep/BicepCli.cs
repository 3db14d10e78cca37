using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Bicep;

/// <summary>What one Bicep CLI run printed.</summary>
internal sealed record BicepRun(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Every diagnostic line (warnings, errors, infos) the CLI wrote.</summary>
    public IReadOnlyList<string> Diagnostics =>
        StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// The Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64, restored with this project
/// (its folder is baked into the assembly at build time) and run as a native executable.
/// </summary>
internal static class BicepCli
{
    /// <summary>Environment the example parameter files read (the ingress secret comes from it).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExampleEnvironment = new Dictionary<string, string>
    {
        ["PIPELINE_INGRESS_SECRET"] = "example-secret-used-only-to-compile-parameters-0123456789",
    };

    private static readonly Lazy<string> Executable = new(Locate);

    public static string Path => Executable.Value;

    public static BicepRun Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in ExampleEnvironment)
        {
            psi.Environment[k] = v;
        }

        // No telemetry, and no wait on a network it cannot reach.
        psi.Environment["BICEP_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + Path);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} timed out.");
        }

        return new BicepRun(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Compiles a .bicep file to ARM JSON; throws with the diagnostics when it does not build cleanly.</summary>
    public static JsonObject Build(string file)
    {
        var run = Run("build", file, "--stdout");
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build {file} failed: {run.StdErr}");
        }

        return JsonNode.Parse(run.StdOut)!.AsObject();
    }

    /// <summary>Compiles a .bicepparam file: the parameter values and the template they apply to.</summary>
    public static (JsonObject Parameters, JsonObject Template) BuildParams(string file)
    {
        var run = Run("build-params", file, "--stdout");
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build-params {file} failed: {run.StdErr}");
        }

        var result = JsonNode.Parse(run.StdOut)!;
        var parameters = JsonNode.Parse(result["parametersJson"]!.GetValue<string>())!["parameters"]!.AsObject();
        var template = JsonNode.Parse(result["templateJson"]!.GetValue<string>())!.AsObject();
        return (parameters, template);
    }

    private static string Locate()
    {
        var root = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPackageRoot")?.Value;
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
        {
            throw new InvalidOperationException($"The Azure.Bicep.CommandLine.linux-x64 package folder '{root}' is missing; run dotnet restore.");
        }

        var exe = System.IO.Path.Combine(root, "tools", "bicep");
        if (!File.Exists(exe))
        {
            throw new FileNotFoundException("No bicep executable in the package's tools folder.", exe);
        }

        // NuGet extracts without the execute bit on some systems.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(exe);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(exe, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return exe;
    }
}
