namespace Pipeline.Registry.Tests;

public sealed class ImageReferenceTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("debian", "docker.io", "library/debian", "latest", null)]
    [InlineData("debian:bookworm", "docker.io", "library/debian", "bookworm", null)]
    [InlineData("bitnami/redis:7", "docker.io", "bitnami/redis", "7", null)]
    [InlineData("docker.io/library/alpine:3.20", "docker.io", "library/alpine", "3.20", null)]
    [InlineData("index.docker.io/alpine", "docker.io", "library/alpine", "latest", null)]
    [InlineData("localhost:5000/app", "localhost:5000", "app", "latest", null)]
    [InlineData("127.0.0.1:5000/team/app:1.0", "127.0.0.1:5000", "team/app", "1.0", null)]
    [InlineData("myreg.azurecr.io/a/b/c:v1.2.3-rc_1", "myreg.azurecr.io", "a/b/c", "v1.2.3-rc_1", null)]
    [InlineData("ghcr.io/o/app@" + Digest, "ghcr.io", "o/app", null, Digest)]
    [InlineData("ghcr.io/o/app:1@" + Digest, "ghcr.io", "o/app", "1", Digest)]
    [InlineData("[::1]:5000/app", "[::1]:5000", "app", "latest", null)]
    [InlineData("reg.example.com/my__app/x-y.z", "reg.example.com", "my__app/x-y.z", "latest", null)]
    public void Parse_ValidReference_Normalizes(string text, string registry, string repository, string? tag, string? digest)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(registry, r.Registry);
        Assert.Equal(repository, r.Repository);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(digest, r.Digest);
    }

    [Fact]
    public void Parse_DockerHub_UsesRegistry1ForApi()
    {
        Assert.Equal("registry-1.docker.io", ImageReference.Parse("debian").ApiHost);
        Assert.Equal("127.0.0.1:5000", ImageReference.Parse("127.0.0.1:5000/a").ApiHost);
    }

    [Theory]
    [InlineData("localhost:5000/a", true)]
    [InlineData("127.0.0.1:5000/a", true)]
    [InlineData("127.8.9.10/a", true)]
    [InlineData("[::1]:5000/a", true)]
    [InlineData("10.0.0.1:5000/a", false)]
    [InlineData("localhost.evil.com/a", false)]
    [InlineData("myreg.azurecr.io/a", false)]
    public void IsLoopback_Host_Classified(string text, bool loopback) =>
        Assert.Equal(loopback, ImageReference.Parse(text).IsLoopback);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Debian", "invalid repository")]
    [InlineData("reg.io/App/x", "invalid repository")]
    [InlineData("reg.io/a//b", "invalid repository")]
    [InlineData("reg.io/a/../b", "invalid repository")]
    [InlineData("reg.io/-a", "invalid repository")]
    [InlineData("reg.io/a:", "invalid tag")]
    [InlineData("reg.io/a:-x", "invalid tag")]
    [InlineData("reg.io/a:t%00", "invalid tag")]
    [InlineData("reg.io/a b", "whitespace or control")]
    [InlineData("reg.io/a\nb", "whitespace or control")]
    [InlineData("reg.io/a@sha256:abc", "invalid digest")]
    [InlineData("reg.io/a@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "invalid digest")]
    [InlineData("reg.io/a@md5:0123456789abcdef0123456789abcdef", "invalid digest")]
    [InlineData("user:pass@reg.io/a", "invalid digest")]
    [InlineData("re_g.io:5000/a", "invalid registry host")]
    [InlineData("reg.io:99999999/a", "invalid registry host")]
    [InlineData("http://reg.io/a", "invalid")]
    [InlineData("reg.io/a:тег", "invalid tag")]
    public void Parse_BadReference_ThrowsFormatExceptionNamingTheProblem(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ImageReference.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeInput_RejectedQuicklyWithShortMessage()
    {
        var e = Assert.Throws<FormatException>(() => ImageReference.Parse("reg.io/" + new string('a', 100_000)));
        Assert.True(e.Message.Length < 200, e.Message);
    }

    [Fact]
    public void Parse_LongTagOverLimit_Rejected()
    {
        Assert.Throws<FormatException>(() => ImageReference.Parse("reg.io/a:" + new string('t', 129)));
        Assert.Equal(new string('t', 128), ImageReference.Parse("reg.io/a:" + new string('t', 128)).Tag);
    }

    [Fact]
    public void ToString_Canonical_RoundTrips()
    {
        var r = ImageReference.Parse("debian:12");
        Assert.Equal("docker.io/library/debian:12", r.ToString());
        Assert.Equal(r, ImageReference.Parse(r.ToString()));
    }

    [Theory]
    [InlineData(Digest, true)]
    [InlineData("sha512:" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", true)]
    [InlineData("sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("sha256:", false)]
    [InlineData("sha256", false)]
    [InlineData(null, false)]
    public void Digests_IsValid_ChecksAlgorithmAndHex(string? digest, bool valid) => Assert.Equal(valid, Digests.IsValid(digest));

    [Fact]
    public void Digests_Verify_MismatchNamesBoth()
    {
        var e = Assert.Throws<DigestMismatchException>(() => Digests.Verify("abc"u8, Digest, "config"));
        Assert.Equal(Digest, e.Expected);
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", e.Actual);
        Assert.Contains("config", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("debian", false, "latest")]
    [InlineData("debian:latest", true, "latest")]
    [InlineData("debian:12", true, "12")]
    [InlineData("debian@" + Digest, false, null)]
    public void Parse_TagGiven_TellsAnImpliedLatestFromAWrittenOne(string text, bool given, string? tag)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal((given, tag), (r.TagGiven, r.Tag));
    }

    [Theory]
    [InlineData("registry-1.docker.io/library/debian:12", "docker.io/library/debian:12")]
    [InlineData("index.docker.io/debian", "docker.io/library/debian:latest")]
    public void Parse_DockerHubAliases_AreDockerIo(string text, string canonical) => Assert.Equal(canonical, ImageReference.Parse(text).ToString());

    [Theory]
    [InlineData("myacr.azurecr.io/base/debian:12", "myacr.azurecr.io", true)]
    [InlineData("myacr.azurecr.io/base/debian:12", "MYACR.azurecr.io/base/", true)]
    [InlineData("myacr.azurecr.io/base/debian:12", "myacr.azurecr.io/ba", false)]
    [InlineData("myacr.azurecr.io.evil.example/base:1", "myacr.azurecr.io", false)]
    [InlineData("debian:12", "docker.io/library", true)]
    [InlineData("docker.io/evil/debian:12", "docker.io/library", false)]
    public void IsUnder_MatchesARegistryOrARepositoryPrefixAtPathBoundaries(string text, string allowed, bool under) =>
        Assert.Equal(under, ImageReference.Parse(text).IsUnder(allowed));
}
