using Pipeline.Iac.Rules;

namespace Pipeline.Iac.Tests.Rules;

/// <summary>
/// Every rule has, for every format it covers, an insecure example that must produce exactly the findings
/// listed in its expect.txt (rule id, line range, defaulted flag) and a secure example that must not
/// produce the rule. Fixtures live in testdata/rules/RULE-ID/.
/// </summary>
public sealed class RuleFixtureTests
{
    private static readonly Dictionary<string, IacFormat> Suffixes = new()
    {
        [".tf"] = IacFormat.Terraform,
        [".plan.json"] = IacFormat.TerraformPlan,
        [".cfn.yaml"] = IacFormat.CloudFormation,
        [".arm.json"] = IacFormat.Arm,
        [".bicep"] = IacFormat.Bicep,
        [".k8s.yaml"] = IacFormat.Kubernetes,
        [".Dockerfile"] = IacFormat.Dockerfile,
    };

    // Plan JSON and Bicep reuse the Terraform and ARM adapters; they have their own tests (PlanJsonReaderTests, BicepTests).
    private static readonly HashSet<IacFormat> CoveredElsewhere = [IacFormat.TerraformPlan, IacFormat.Bicep];

    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var rule in IacRules.All)
        {
            data.Add(rule.Id);
        }

        return data;
    }

    private static IacFormat? FormatOf(string file) =>
        Suffixes.Where(s => file.EndsWith(s.Key, StringComparison.Ordinal)).Select(s => (IacFormat?)s.Value).FirstOrDefault();

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_EveryCoveredFormat_HasInsecureAndSecureExamples(string ruleId)
    {
        var rule = IacRules.All.Single(r => r.Id == ruleId);
        var dir = IacTestData.Path("rules", ruleId);
        Assert.True(Directory.Exists(dir), $"no fixtures for {ruleId}");
        var files = Directory.GetFiles(dir).Select(Path.GetFileName).ToList();
        foreach (var format in rule.ResourceTypes.Keys.Where(f => !CoveredElsewhere.Contains(f)))
        {
            Assert.Contains(files, f => f!.StartsWith("insecure", StringComparison.Ordinal) && FormatOf(f) == format);
            Assert.Contains(files, f => f!.StartsWith("secure", StringComparison.Ordinal) && FormatOf(f) == format);
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_InsecureExamples_ProduceExpectedFindings(string ruleId)
    {
        var dir = IacTestData.Path("rules", ruleId);
        var expected = File.ReadAllLines(Path.Combine(dir, "expect.txt"))
            .Where(l => l.Trim().Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => g.Select(p => $"{p[1]} {p[2]}").Order().ToList());
        var insecure = Directory.GetFiles(dir, "insecure*").Select(Path.GetFileName).ToList();
        Assert.NotEmpty(insecure);
        foreach (var file in insecure)
        {
            Assert.True(expected.ContainsKey(file!), $"{ruleId}: expect.txt has no line for {file}");
            var result = IacTestData.Scan(Path.Combine(dir, file!));
            Assert.Empty(result.Errors);
            var actual = result.Misconfigurations.Where(m => m.RuleId == ruleId)
                .Select(m => $"{m.StartLine}-{m.EndLine} {(m.Defaulted ? "defaulted" : "explicit")}").Order().ToList();
            Assert.True(expected[file!].SequenceEqual(actual),
                $"{ruleId} {file}: expected [{string.Join(", ", expected[file!])}] got [{string.Join(", ", actual)}]\n{IacTestData.Describe(result.Misconfigurations)}");
            Assert.All(result.Misconfigurations.Where(m => m.RuleId == ruleId), m =>
            {
                Assert.Equal(file, m.File);
                Assert.Equal(m.Defaulted, m.Message.Contains("(the default when", StringComparison.Ordinal));
            });
        }
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rule_SecureExamples_ProduceNoFinding(string ruleId)
    {
        var dir = IacTestData.Path("rules", ruleId);
        var secure = Directory.GetFiles(dir, "secure*").ToList();
        Assert.NotEmpty(secure);
        foreach (var file in secure)
        {
            var result = IacTestData.Scan(file);
            Assert.Empty(result.Errors);
            Assert.True(result.FilesScanned == 1, $"{file} was not recognized");
            var hits = result.Misconfigurations.Where(m => m.RuleId == ruleId).ToList();
            Assert.True(hits.Count == 0, $"{ruleId} {Path.GetFileName(file)}:\n{IacTestData.Describe(hits)}");
        }
    }

    [Fact]
    public void Catalogue_HasAtLeastEightyRulesWithUniqueIds()
    {
        Assert.True(IacRules.All.Count >= 80, $"only {IacRules.All.Count} rules");
        Assert.Equal(IacRules.All.Count, IacRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(IacRules.All, r =>
        {
            Assert.NotEmpty(r.ResourceTypes);
            Assert.False(string.IsNullOrWhiteSpace(r.Description));
            Assert.False(string.IsNullOrWhiteSpace(r.Remediation));
        });
    }
}
