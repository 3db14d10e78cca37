using Pipeline.Secrets.Scanning;
using Pipeline.TestKit;

namespace Pipeline.Secrets.Tests.Scanning;

public sealed class SecretFingerprinterTests
{
    [Fact]
    public void Fingerprint_SameSaltSameSecret_IsStableAndPrefixed()
    {
        var secret = Fake.Alnums(40);

        var a = SecretFingerprinter.Create("salt-one").Fingerprint(secret);
        var b = SecretFingerprinter.Create("salt-one").Fingerprint(secret);

        Assert.Equal(a, b);
        Assert.Matches("^hmac-sha256:[0-9a-f]{64}$", a);
        Assert.DoesNotContain(secret, a, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_DifferentSalt_Differs()
    {
        var secret = Fake.Alnums(40);

        Assert.NotEqual(SecretFingerprinter.Create("salt-one").Fingerprint(secret), SecretFingerprinter.Create("salt-two").Fingerprint(secret));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void FromSaltFile_CreatesTheSaltFileOnceWithOwnerOnlyMode()
    {
        var dir = TestPaths.NewTempDir("secrets-salt");
        try
        {
            var secret = Fake.Alnums(40);
            var first = SecretFingerprinter.FromSaltFile(dir);
            var saltFile = Path.Combine(dir, "secret-salt");
            var written = File.ReadAllText(saltFile);

            var second = SecretFingerprinter.FromSaltFile(dir);

            Assert.Equal(first.Fingerprint(secret), second.Fingerprint(secret));
            Assert.Equal(written, File.ReadAllText(saltFile));
            Assert.Equal(64, written.Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saltFile));
            Assert.NotEqual(SecretFingerprinter.Create("other").Fingerprint(secret), first.Fingerprint(secret));
            Assert.Single(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Constructor_ShortSalt_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SecretFingerprinter(new byte[8]));
    }
}
