using System.Globalization;
using System.Text;
using CsCheck;
using Pipeline.TestKit;
using Pipeline.Vulnerabilities.Versions;

namespace Pipeline.Vulnerabilities.Tests.Versions;

/// <summary>
/// Random versions ordered by our comparers and by the real tools: dpkg itself, rpm's own rpm.vercmp,
/// Python's packaging (python3-packaging) and RubyGems (ruby). One tool process per batch keeps it fast.
/// </summary>
public sealed class VersionOracleTests
{
    private const int Pairs = 300;

    // Fragments chosen to exercise every rule: separators, ~, ^, letters, leading zeros, epochs, revisions.
    private static readonly Gen<string> DebianVersion =
        Gen.Select(
            Gen.OneOf("", "", "1:", "2:"),
            Gen.OneOf("0", "1", "01", "10", "2", "a").Array[1, 4].Select(p => string.Join(Gen.OneOf(".", "+").Single(), p)),
            Gen.OneOf("", "", "~", "~rc1", "a", "+dfsg", "~~", ".0", "+b1"),
            Gen.OneOf("", "-1", "-2", "-1+deb12u1", "-1~bpo", "-0", "-10"))
        .Select((e, u, s, r) => e + (char.IsAsciiDigit(u[0]) ? u : "1" + u) + s + r);

    private static readonly Gen<string> RpmVersion =
        Gen.Select(Gen.OneOf("0", "1", "01", "10", "2", "a", "rc", "git", "p").Array[1, 4], Gen.OneOf(".", "_", "~", "^", "+", "").Array[4], (parts, seps) =>
            {
                var sb = new StringBuilder(parts[0]);
                for (var i = 1; i < parts.Length; i++)
                {
                    sb.Append(seps[i]).Append(parts[i]);
                }

                return sb.ToString();
            });

    private static readonly Gen<string> Pep440Version =
        Gen.Select(
            Gen.OneOf("", "", "1!"),
            Gen.Int[0, 12].Array[1, 3].Select(p => string.Join('.', p)),
            Gen.OneOf("", "", "a1", "b2", "rc1", "alpha", "c3", "-beta.2"),
            Gen.OneOf("", "", ".post1", "-3", ".r2"),
            Gen.OneOf("", "", ".dev0", ".dev5"),
            Gen.OneOf("", "", "", "+local", "+1.abc", "+abc.1"))
        .Select((e, r, pre, post, dev, local) => e + r + pre + post + dev + local);

    private static readonly Gen<string> GemVersion =
        Gen.Select(
            Gen.Int[0, 12].Array[1, 4].Select(p => string.Join('.', p)),
            Gen.OneOf("", "", ".a", ".b1", ".rc.2", ".pre", "-alpha", "-beta.1", ".0", ".x"))
        .Select((r, s) => r + s);

    [Fact]
    public void Dpkg_RandomPairs_AgreeWithDpkg() =>
        AgreeWithScript(DebianVersion, "sh", string.Empty, (a, b) => $"if dpkg --compare-versions '{a}' lt '{b}'; then echo -1; elif dpkg --compare-versions '{a}' eq '{b}'; then echo 0; else echo 1; fi", DpkgVersionComparer.Instance.Compare);

    [Fact]
    public void Rpm_RandomPairs_AgreeWithRpmVercmp()
    {
        var pairs = Gen.Select(RpmVersion, RpmVersion).Array[Pairs].Single();
        var lua = new StringBuilder("%{lua:\n");
        foreach (var (a, b) in pairs)
        {
            lua.Append(CultureInfo.InvariantCulture, $"print(rpm.vercmp('{a}', '{b}') .. '\\n')\n");
        }

        lua.Append('}');
        AssertAgrees(pairs, Tool.Run("rpm", ["--eval", lua.ToString()]), RpmVersionComparer.RpmVerCmp);
    }

    // The system interpreter: python3-packaging is a Debian package (a pyenv python on PATH may lack it).
    [Fact]
    public void Pep440_RandomPairs_AgreeWithPackaging() =>
        AgreeWithScript(Pep440Version, "/usr/bin/python3", "from packaging.version import Version as V\n", (a, b) => $"x, y = V('{a}'), V('{b}'); print(-1 if x < y else 0 if x == y else 1)", Pep440VersionComparer.Instance.Compare);

    [Fact]
    public void RubyGems_RandomPairs_AgreeWithGemVersion() =>
        AgreeWithScript(GemVersion, "ruby", "require 'rubygems'\n", (a, b) => $"puts(Gem::Version.new('{a}') <=> Gem::Version.new('{b}'))", RubyGemsVersionComparer.Instance.Compare);

    /// <summary>Writes one script line per random pair, runs it once, and compares its -1/0/1 lines with ours.</summary>
    private static void AgreeWithScript(Gen<string> versions, string interpreter, string prelude, Func<string, string, string> line, Func<string, string, int> compare)
    {
        var pairs = Gen.Select(versions, versions).Array[Pairs].Single();
        var script = new StringBuilder(prelude);
        foreach (var (a, b) in pairs)
        {
            script.Append(line(a, b)).Append('\n');
        }

        AssertAgrees(pairs, Run(interpreter, script.ToString()), compare);
    }

    private static string Run(string interpreter, string script)
    {
        var file = Path.Combine(TestPaths.NewTempDir(), "oracle");
        File.WriteAllText(file, script);
        return Tool.Run(interpreter, [file]);
    }

    private static void AssertAgrees((string A, string B)[] pairs, string output, Func<string, string, int> compare)
    {
        var expected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(pairs.Length, expected.Length);
        var disagreements = pairs.Zip(expected)
            .Where(p => Math.Sign(compare(p.First.A, p.First.B)) != p.Second)
            .Select(p => $"{p.First.A} vs {p.First.B}: reference {p.Second}, ours {Math.Sign(compare(p.First.A, p.First.B))}")
            .ToList();
        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
    }
}
