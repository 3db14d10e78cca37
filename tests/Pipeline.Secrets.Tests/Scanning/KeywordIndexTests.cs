using System.Text;
using Pipeline.Secrets.Rules;
using Pipeline.Secrets.Scanning;
using Pipeline.TestKit;

namespace Pipeline.Secrets.Tests.Scanning;

public sealed class KeywordIndexTests
{
    private static readonly string[] Keywords = [.. BuiltinSecretRules.All.SelectMany(r => r.Keywords.Concat(r.RequiredKeywords)).Distinct()];

    [Fact]
    public void FindAll_RandomTextWithKeywords_MatchesNaiveSearchIgnoringCase()
    {
        var index = new KeywordIndex(Keywords);
        var rng = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var sb = new StringBuilder();
            while (sb.Length < 2000)
            {
                var k = Keywords[rng.Next(Keywords.Length)];
                sb.Append(rng.Next(3) == 0 ? k.ToUpperInvariant() : k);
                sb.Append(Fake.Of(Fake.Alnum + " \n_-.=:\"~", rng.Next(0, 12)));
            }

            var bytes = Encoding.ASCII.GetBytes(sb.ToString());

            Assert.Equal(Naive(sb.ToString()), index.FindAll(bytes) ?? []);
        }
    }

    [Fact]
    public void FindAll_KeywordAtTheVeryEnd_IsFound()
    {
        var index = new KeywordIndex(["q~", "ghp_"]);

        Assert.Equal([(1, 3)], index.FindAll("abcGHP_"u8) ?? []);
        Assert.Equal([(0, 1)], index.FindAll("xQ~"u8) ?? []);
        Assert.Null(index.FindAll("q"u8));
        Assert.Null(index.FindAll([]));
    }

    [Fact]
    public void FindAll_RealTextFiles_MatchesNaiveSearch()
    {
        var index = new KeywordIndex(Keywords);
        foreach (var path in Directory.EnumerateFiles(Path.Combine(DebianRoot.Path, "etc"), "*", SearchOption.AllDirectories).Take(300))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || info.Length is 0 or > 1_000_000)
            {
                continue;
            }

            var bytes = File.ReadAllBytes(path);
            Assert.Equal(Naive(Encoding.Latin1.GetString(bytes)), index.FindAll(bytes) ?? []);
        }
    }

    private static List<(int, int)> Naive(string text)
    {
        var lower = text.ToLowerInvariant();
        var hits = new List<(int, int)>();
        for (var i = 0; i < lower.Length; i++)
        {
            for (var k = 0; k < Keywords.Length; k++)
            {
                if (string.CompareOrdinal(lower, i, Keywords[k], 0, Keywords[k].Length) == 0 && i + Keywords[k].Length <= lower.Length)
                {
                    hits.Add((k, i));
                }
            }
        }

        // The index reports keywords at one position in its own bucket order; compare as sets per position.
        return [.. hits.OrderBy(h => h.Item2).ThenBy(h => h.Item1)];
    }
}
