using Pipeline.Analysis.Walking;

namespace Pipeline.Analysis.Tests.Walking;

public sealed class TarPathTests
{
    [Theory]
    [InlineData("./etc/os-release", "etc/os-release", false)]
    [InlineData("/etc//passwd", "etc/passwd", false)]
    [InlineData("usr/lib/../bin/sh", "usr/bin/sh", false)]
    [InlineData("../../etc/shadow", "etc/shadow", true)]
    [InlineData("a/../../b", "b", true)]
    [InlineData("a\\..\\..\\b", "b", true)]
    public void Normalize_ContainsPathsInTheRoot(string name, string expected, bool escaped)
    {
        Assert.Equal(expected, TarPath.Normalize(name, out var e));
        Assert.Equal(escaped, e);
    }

    [Theory]
    [InlineData("etc/ssh/key", "etc/ssh", true)]
    [InlineData("etc/ssh", "etc/ssh", true)]
    [InlineData("etc/sshd", "etc/ssh", false)]
    [InlineData("anything", "", true)]
    public void IsUnder_MatchesWholeSegments(string path, string dir, bool expected) =>
        Assert.Equal(expected, TarPath.IsUnder(path, dir));
}
