using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Core.Model;
using Pipeline.Secrets.Rules;
using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.Tests.Scanning;

public sealed class SecretScannerTests
{
    private static readonly string Ghp = "ghp_" + Fake.Alnums(36);

    [Fact]
    public void Scan_SecretOnLineThree_ReportsLineThree()
    {
        var text = $"# config\r\nname: shop\r\ntoken_value: {Ghp}\r\n";

        var f = Assert.Single(Fake.Scanner.Scan("/etc/app/config.yaml", Fake.Utf8(text)));

        Assert.Equal(3, f.Line);
        Assert.Equal("etc/app/config.yaml", f.Path);
        Assert.Equal(Severity.Critical, f.Severity);
        Assert.StartsWith(SecretFingerprinter.Prefix, f.Fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_ManySecrets_ReportsEachWithItsLine()
    {
        var lines = Enumerable.Range(0, 50).Select(i => i % 10 == 0 ? $"k{i}={"ghp_" + Fake.Alnums(36)}" : $"plain line {i}").ToList();

        var findings = Fake.Scanner.Scan("a.env", Fake.Utf8(string.Join('\n', lines)));

        Assert.Equal([1, 11, 21, 31, 41], findings.Select(f => f.Line));
    }

    [Fact]
    public void Scan_BinaryFile_IsSkipped()
    {
        var bytes = Fake.Utf8("\0ELF" + Ghp);

        Assert.Empty(Fake.Scanner.Scan("usr/bin/tool", bytes));
        Assert.True(SecretScanner.IsBinary(bytes));
    }

    [Fact]
    public void Scan_NulAfterProbeWindow_IsStillScanned()
    {
        var bytes = Fake.Utf8(Ghp + "\n" + new string('a', SecretScanner.BinaryProbeBytes) + "\0");

        Assert.Single(Fake.Scanner.Scan("data.txt", bytes));
    }

    [Fact]
    public void Scan_OversizedFile_IsSkippedByConfiguredLimit()
    {
        var scanner = new SecretScanner(new SecretScanOptions { MaxFileBytes = 1024 }, Fake.Fingerprinter);
        var small = Fake.Utf8(Ghp);
        var big = Fake.Utf8(Ghp + new string('\n', 2000));

        Assert.Single(scanner.Scan("a.txt", small));
        Assert.Empty(scanner.Scan("a.txt", big));
        Assert.False(scanner.ShouldScan("a.txt", 2000));
    }

    [Theory]
    [InlineData("usr/lib/x86_64-linux-gnu/libssl.so.3")]
    [InlineData("app/logo.png")]
    [InlineData("app/lib/tool.JAR")]
    [InlineData("usr/share/doc/openssl/README")]
    [InlineData("srv/app/node_modules/jsonwebtoken/test/keys/priv.pem")]
    [InlineData("srv/app/node_modules/@scope/pkg/README.md")]
    [InlineData("go/src/x/testdata/key.pem")]
    [InlineData("usr/lib/python3.11/site-packages/requests/tests/test_auth.py")]
    public void ShouldScan_SkippedPathsAndExtensions_ReturnsFalse(string path)
    {
        Assert.False(Fake.Scanner.ShouldScan(path, 100));
        Assert.Empty(Fake.Scanner.Scan(path, Fake.Utf8(Ghp)));
    }

    [Theory]
    [InlineData("root/.ssh/id_rsa")]
    [InlineData("app/.env")]
    [InlineData("README.md")]
    [InlineData("srv/app/node_modules/pkg/lib/index.js")]
    public void ShouldScan_OrdinaryFiles_ReturnsTrue(string path) => Assert.True(Fake.Scanner.ShouldScan(path, 100));

    [Fact]
    public void Options_CustomSkipPathsAndExtensions_AreHonoured()
    {
        var scanner = new SecretScanner(
            new SecretScanOptions { SkipPaths = ["opt/vendor/**"], SkipExtensions = new HashSet<string> { ".log" } }, Fake.Fingerprinter);

        Assert.False(scanner.ShouldScan("opt/vendor/a.txt", 10));
        Assert.False(scanner.ShouldScan("var/app.LOG", 10));
        Assert.True(scanner.ShouldScan("usr/share/doc/readme", 10));
    }

    [Theory]
    [InlineData("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("DB_PASSWORD=password")]
    [InlineData("DB_PASSWORD=changeme")]
    [InlineData("DB_PASSWORD=${DB_PASSWORD}")]
    [InlineData("client_secret: \"<redacted>\"")]
    [InlineData("client_secret: \"{{ .Values.clientSecret }}\"")]
    [InlineData("api_key = 'xxxxxxxxxxxxxxxxxxxxxxxx'")]
    [InlineData("DATABASE_URL=postgres://postgres:postgres@localhost/db")]
    [InlineData("DATABASE_URL=postgres://user:${PGPASSWORD}@localhost/db")]
    public void Scan_KnownExamplesAndPlaceholders_AreAllowed(string line)
    {
        Assert.Empty(Fake.Scanner.Scan("app/.env", Fake.Utf8(line + "\n")));
    }

    [Fact]
    public void Scan_ExampleTokenShape_IsAllowedByFragment()
    {
        Assert.Empty(Fake.Scanner.Scan("a.txt", Fake.Utf8("ghp_EXAMPLE" + Fake.Alnums(29))));
    }

    [Fact]
    public void Scan_GenericAndSpecificOnSameValue_ReportsSpecificOnly()
    {
        var f = Assert.Single(Fake.Scanner.Scan("app/.env", Fake.Utf8($"ACCESS_TOKEN={Ghp}\n")));

        Assert.Equal("github-pat", f.RuleId);
    }

    [Fact]
    public void Scan_RuleAllowPaths_SkipsOnlyThatRule()
    {
        var rules = BuiltinSecretRules.All.Select(r => r.Id == "github-pat" ? r with { AllowPaths = ["ci/**"] } : r).ToList();
        var scanner = new SecretScanner(fingerprinter: Fake.Fingerprinter, rules: rules);
        var text = Fake.Utf8($"{Ghp}\nnpm_{Fake.Alnums(36)}\n");

        Assert.Equal(["npm-access-token"], scanner.Scan("ci/build.sh", text).Select(f => f.RuleId));
        Assert.Equal(2, scanner.Scan("app/build.sh", text).Count);
    }

    [Fact]
    public void Scan_Latin1AndUtf8Content_KeepsOffsetsAndValues()
    {
        var pw = "Grüße" + Fake.Alnums(12);
        var f = Assert.Single(Fake.Scanner.Scan("app/.env", Encoding.UTF8.GetBytes($"# ünïcödé\nDB_PASSWORD=\"{pw}\"\n")));

        Assert.Equal(2, f.Line);
        Assert.Equal(Fake.Fingerprinter.Fingerprint(pw), f.Fingerprint);
    }

    [Fact]
    public void Scan_HostileInput_IsBounded()
    {
        // Unterminated PEM blocks and endless keyword runs are the classic ways to make a secret scanner crawl.
        var sb = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            sb.Append("-----BEGIN RSA PRIVATE KEY-----\n").Append(Fake.Of(Fake.Base64Chars, 2000)).Append('\n');
        }

        sb.Append(string.Concat(Enumerable.Repeat("password=password=token=secret=", 20000)));
        var bytes = Fake.Utf8(sb.ToString());

        var sw = Stopwatch.StartNew();
        var findings = Fake.Scanner.Scan("app/evil.txt", bytes);
        sw.Stop();

        Assert.Empty(findings);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Constructor_RuleWithoutKeyword_Throws()
    {
        var rule = new SecretRule { Id = "x", Title = "x", Keywords = [], Pattern = new Regex("(?<secret>x)", RegexOptions.None, TimeSpan.FromSeconds(1)) };

        Assert.Throws<ArgumentException>(() => new SecretScanner(fingerprinter: Fake.Fingerprinter, rules: [rule]));
    }

    [Fact]
    public void Scan_FileFullOfTokens_IsCappedAtMaxMatches()
    {
        var text = string.Join('\n', Enumerable.Range(0, SecretScanner.MaxMatchesPerFile + 500).Select(_ => "ghp_" + Fake.Alnums(36)));

        var findings = Fake.Scanner.Scan("app/tokens.txt", Fake.Utf8(text));

        Assert.Equal(SecretScanner.MaxMatchesPerFile, findings.Count);
        Assert.Equal(Enumerable.Range(1, SecretScanner.MaxMatchesPerFile), findings.Select(f => f.Line));
    }

    [Fact]
    public void Scan_AwsPair_FindsTheSecretAfterARejectedCandidateAndBeforeTheId()
    {
        var id = "AKIA" + Fake.Of(Fake.UpperAlnum, 16);
        var after = Fake.Of(Fake.Base64Chars, 40);
        var before = Fake.Of(Fake.Base64Chars, 40);
        var text = $"SECRET_ONE={before}\nID={id}\nREVISION={Fake.Hexes(40)}\nSECRET_TWO={after}\n";

        var paired = Fake.Scanner.Scan("app/.env", Fake.Utf8(text)).Where(f => f.RuleId == "aws-secret-access-key-paired").ToList();

        Assert.Equal([1, 4], paired.Select(f => f.Line));
        Assert.Equal([Fake.Fingerprinter.Fingerprint(before), Fake.Fingerprinter.Fingerprint(after)], paired.Select(f => f.Fingerprint));
    }
}
