using Pipeline.TestKit;

namespace Pipeline.Infra.Tests;

/// <summary>Where the infrastructure under test lives, and the example tenants both stacks describe.</summary>
internal static class InfraPaths
{
    public static string Bicep { get; } = Path.Combine(TestPaths.RepoRoot, "infra", "bicep");

    public static string Terraform { get; } = Path.Combine(TestPaths.RepoRoot, "infra", "terraform");

    /// <summary>Tenants with both a <c>.bicepparam</c> and a <c>.tfvars</c> example.</summary>
    public static IEnumerable<object[]> ExampleTenants() =>
        Directory.EnumerateFiles(Path.Combine(Bicep, "tenants"), "*.bicepparam")
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .Order(StringComparer.Ordinal)
            .Select(t => new object[] { t });

    public static IEnumerable<string> Files(string root, string pattern) =>
        Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}.terraform{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
