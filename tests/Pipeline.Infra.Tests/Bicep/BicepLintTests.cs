namespace Pipeline.Infra.Tests.Bicep;

public sealed class BicepLintTests
{
    public static IEnumerable<object[]> BicepFiles() =>
        InfraPaths.Files(InfraPaths.Bicep, "*.bicep").Select(f => new object[] { Path.GetRelativePath(InfraPaths.Bicep, f) });

    public static IEnumerable<object[]> ParamFiles() =>
        InfraPaths.Files(InfraPaths.Bicep, "*.bicepparam").Select(f => new object[] { Path.GetRelativePath(InfraPaths.Bicep, f) });

    [Fact]
    public void BicepFolder_HasTheStackModulesAndExamples()
    {
        Assert.Contains(new object[] { "main.bicep" }, BicepFiles(), new SequenceComparer());
        Assert.True(BicepFiles().Count() >= 8, "main.bicep plus its modules");
        Assert.True(ParamFiles().Count() >= 2, "one example parameter file per tenant");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Build_EveryBicepFile_CompilesWithoutAnyDiagnostic(string file)
    {
        var run = BicepCli.Run("build", Path.Combine(InfraPaths.Bicep, file), "--stdout");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("\"$schema\"", run.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    [MemberData(nameof(ParamFiles))]
    public void Lint_EveryFile_ReportsNoWarningOrError(string file)
    {
        var run = BicepCli.Run("lint", Path.Combine(InfraPaths.Bicep, file));

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(ParamFiles))]
    public void BuildParams_EveryExample_GivesEveryRequiredParameter(string file)
    {
        var (parameters, template) = BicepCli.BuildParams(Path.Combine(InfraPaths.Bicep, file));

        var required = template["parameters"]!.AsObject()
            .Where(p => p.Value!["defaultValue"] is null)
            .Select(p => p.Key);
        Assert.All(required, name => Assert.True(parameters.ContainsKey(name), $"{file} does not set {name}"));
    }

    [Fact]
    public void Lint_WarningLevelRule_ReportsAProblemWhenOneIsIntroduced()
    {
        // The config must really make rules fire: a file breaking one must not lint clean.
        var dir = Pipeline.TestKit.TestPaths.NewTempDir("bicep-lint");
        File.Copy(Path.Combine(InfraPaths.Bicep, "bicepconfig.json"), Path.Combine(dir, "bicepconfig.json"));
        var file = Path.Combine(dir, "bad.bicep");
        File.WriteAllText(file, "param unused string\n\nresource st 'Microsoft.Storage/storageAccounts@2025-01-01' = {\n  name: 'stbad'\n  location: 'westeurope'\n  kind: 'StorageV2'\n  sku: {\n    name: 'Standard_LRS'\n  }\n}\n");

        var run = BicepCli.Run("lint", file);

        Assert.Contains(run.Diagnostics, d => d.Contains("no-unused-params", StringComparison.Ordinal));
        Assert.Contains(run.Diagnostics, d => d.Contains("no-hardcoded-location", StringComparison.Ordinal));
    }

    private sealed class SequenceComparer : IEqualityComparer<object[]>
    {
        public bool Equals(object[]? x, object[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode(object[] obj) => obj.Length;
    }
}
