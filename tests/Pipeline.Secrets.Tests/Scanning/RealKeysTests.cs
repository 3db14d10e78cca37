using Pipeline.TestKit;

namespace Pipeline.Secrets.Tests.Scanning;

/// <summary>Private keys written by the real tools that make them, in every armour the rules name.</summary>
public sealed class RealKeysTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("secrets-keys");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ssh-keygen -q -t ed25519 -N '' -f key", "private-key-openssh")]
    [InlineData("ssh-keygen -q -t rsa -b 2048 -N '' -m PEM -f key", "private-key-rsa")]
    [InlineData("ssh-keygen -q -t ecdsa -N '' -m PEM -f key", "private-key-ec")]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key 2>/dev/null", "private-key-pkcs8")]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-256-cbc -pass pass:pw -out key 2>/dev/null", "private-key-pkcs8-encrypted")]
    [InlineData("openssl ecparam -name prime256v1 -genkey -noout -out key", "private-key-ec")]
    [InlineData("openssl dsaparam -out p 1024 2>/dev/null && openssl gendsa -out k p 2>/dev/null && openssl dsa -in k -out key 2>/dev/null", "private-key-dsa")]
    [InlineData("openssl genrsa -traditional -aes256 -passout pass:pw -out key 2048 2>/dev/null", "private-key-rsa")]
    [InlineData(
        "export GNUPGHOME=$PWD/g && mkdir -m 700 g && gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'T <t@x>' ed25519 2>/dev/null && gpg --batch --pinentry-mode loopback --passphrase '' --armor --export-secret-keys > key",
        "private-key-pgp")]
    public void Scan_KeyMadeByRealTool_IsFoundAndRedacted(string command, string ruleId)
    {
        Tool.Sh(command, _dir);
        var content = File.ReadAllBytes(Path.Combine(_dir, "key"));
        var text = System.Text.Encoding.ASCII.GetString(content);

        var findings = Fake.Scanner.Scan("root/.ssh/id_key", content);

        var f = Assert.Single(findings);
        Assert.Equal(ruleId, f.RuleId);
        var lines = text.Split('\n');
        bool IsBody(string l) => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal) && !l.Contains(':', StringComparison.Ordinal);
        Assert.Equal(Array.FindIndex(lines, IsBody) + 1, f.Line);
        Assert.All(lines.Where(IsBody), l => Assert.DoesNotContain(l[4..^4], f.Preview, StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_PublicKeysAndCertificates_AreNotSecrets()
    {
        Tool.Sh("ssh-keygen -q -t ed25519 -N '' -f key && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out cert.pem -subj /CN=x -days 1 2>/dev/null", _dir);

        Assert.Empty(Fake.Scanner.Scan("root/.ssh/id_ed25519.pub", File.ReadAllBytes(Path.Combine(_dir, "key.pub"))));
        Assert.Empty(Fake.Scanner.Scan("etc/app/cert.pem", File.ReadAllBytes(Path.Combine(_dir, "cert.pem"))));
    }
}
