using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.Tests.Scanning;

public sealed class RedactionTests
{
    [Theory]
    [InlineData(40, 4)]
    [InlineData(24, 4)]
    [InlineData(20, 3)]
    [InlineData(16, 3)]
    [InlineData(12, 2)]
    [InlineData(11, 0)]
    [InlineData(3, 0)]
    public void Preview_KeepsAtMostFourCharactersPerEnd(int length, int kept)
    {
        var secret = Fake.Alnums(length);

        var preview = Redaction.Preview(secret);

        Assert.Equal(secret[..kept], preview[..kept]);
        Assert.Equal(secret[^kept..], preview[^kept..]);
        Assert.Matches("^[^*]{0,4}\\*+[^*]{0,4}$", preview);
        Assert.Equal(2 * kept, preview.Count(c => c != '*'));
        Assert.DoesNotContain(secret, preview, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_ReplacesTheSecretInALine()
    {
        var secret = Fake.Alnums(30);

        var masked = Redaction.Mask($"token={secret} # prod", secret);

        Assert.DoesNotContain(secret, masked, StringComparison.Ordinal);
        Assert.StartsWith("token=" + secret[..4] + "*", masked, StringComparison.Ordinal);
        Assert.EndsWith(secret[^4..] + " # prod", masked, StringComparison.Ordinal);
    }
}
