using Pipeline.Secrets.Rules;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.Tests.Rules;

public sealed class BuiltinSecretRulesTests
{
    [Fact]
    public void All_HasAtLeastFiftyRulesWithUniqueIds()
    {
        Assert.True(BuiltinSecretRules.All.Count >= 50, $"only {BuiltinSecretRules.All.Count} rules");
        Assert.Equal(BuiltinSecretRules.All.Count, BuiltinSecretRules.All.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void All_EveryRuleHasASecretGroupKeywordsAndATimeout()
    {
        foreach (var rule in BuiltinSecretRules.All)
        {
            Assert.Contains("secret", rule.Pattern.GetGroupNames());
            Assert.NotEmpty(rule.Keywords);
            Assert.All(rule.Keywords, k => Assert.Equal(k.ToLowerInvariant(), k));
            Assert.All(rule.RequiredKeywords, k => Assert.Equal(k.ToLowerInvariant(), k));
            Assert.NotEqual(System.Text.RegularExpressions.Regex.InfiniteMatchTimeout, rule.Pattern.MatchTimeout);
        }
    }

    [Fact]
    public void All_EveryRuleHasAPositiveAndANegativeCase()
    {
        var missing = BuiltinSecretRules.All.Select(r => r.Id).Except(RuleCases.All.Select(c => c.RuleId)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(RuleCases.Ids), MemberType = typeof(RuleCases))]
    public void Scan_PositiveCase_FindsTheSecretRedacted(string ruleId)
    {
        var c = RuleCases.Get(ruleId);

        var findings = Fake.Scanner.Scan("app/config.txt", Fake.Utf8(c.Positive));

        var f = Assert.Single(findings, f => f.RuleId == ruleId);
        Assert.Equal(Fake.Fingerprinter.Fingerprint(c.Secret), f.Fingerprint);
        Assert.Equal(Redaction.Preview(c.Secret), f.Preview);
        Assert.DoesNotContain(c.Secret, f.Preview, StringComparison.Ordinal);
        Assert.True(f.Line >= 1);
        Assert.Equal("app/config.txt", f.Path);
    }

    [Theory]
    [MemberData(nameof(RuleCases.Ids), MemberType = typeof(RuleCases))]
    public void Scan_NegativeCase_DoesNotFireTheRule(string ruleId)
    {
        var c = RuleCases.Get(ruleId);

        var findings = Fake.Scanner.Scan("app/config.txt", Fake.Utf8(c.Negative));

        Assert.DoesNotContain(findings, f => f.RuleId == ruleId);
    }
}
