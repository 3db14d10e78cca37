using Pipeline.Core.Findings;
using Pipeline.TestKit;

namespace Pipeline.Secrets.Tests.Scanning;

/// <summary>Real file trees that hold no secret: every finding here is a false positive.</summary>
public sealed class RealFilesTests
{
    [Fact]
    public void Scan_DebootstrapRoot_FindsNoSecret()
    {
        var (files, findings) = ScanTree(DebianRoot.Path);

        Assert.True(files > 1000, $"only {files} files scanned");
        Assert.True(findings.Count == 0, Describe(findings));
    }

    [Fact]
    public void Scan_InstalledNpmPackages_FindsNoSecret()
    {
        var dir = TestPaths.NewTempDir("secrets-npm");
        try
        {
            Tool.Run("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--ignore-scripts", "axios@1", "jsonwebtoken@9", "express@4", "dotenv@16"],
                timeout: TimeSpan.FromMinutes(5));

            var (files, findings) = ScanTree(dir);

            Assert.True(files > 300, $"only {files} files scanned");
            Assert.True(findings.Count == 0, Describe(findings));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Walks a tree the way the layer walker would present it: image-relative paths, regular files only.</summary>
    internal static (int Files, List<SecretFinding> Findings) ScanTree(string root)
    {
        var scanner = Fake.Scanner;
        var findings = new List<SecretFinding>();
        var files = 0;
        // Regular files only (find -type f): a root filesystem holds device nodes, and dev/zero never ends.
        foreach (var path in Tool.Run("find", [root, "-type", "f", "-print0"]).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (!scanner.ShouldScan(relative, info.Length))
            {
                continue;
            }

            files++;
            findings.AddRange(scanner.Scan(relative, File.ReadAllBytes(path)));
        }

        return (files, findings);
    }

    private static string Describe(List<SecretFinding> findings) =>
        string.Join('\n', findings.Take(30).Select(f => $"{f.RuleId} {f.Path}:{f.Line} {f.Preview}"));
}
