using Pipeline.Secrets.Scanning;

namespace Pipeline.Secrets.Tests.Scanning;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("**/testdata/**", "testdata/a.pem", true)]
    [InlineData("**/testdata/**", "go/src/x/testdata/deep/a.pem", true)]
    [InlineData("**/testdata/**", "go/src/x/testdatax/a.pem", false)]
    [InlineData("usr/lib/python3*/**/tests/**", "usr/lib/python3.11/site-packages/x/tests/t.py", true)]
    [InlineData("usr/lib/python3*/**/tests/**", "usr/lib/python2.7/x/tests/t.py", false)]
    [InlineData("usr/share/doc/**", "/usr/share/doc/a/README", true)]
    [InlineData("*.md", "a/README.md", false)]
    [InlineData("**/*.md", "a/README.md", true)]
    [InlineData("etc/?asswd", "etc/passwd", true)]
    public void IsMatch_Globs_MatchAsDocumented(string glob, string path, bool expected)
    {
        Assert.Equal(expected, new PathGlob([glob]).IsMatch(path));
    }

    [Fact]
    public void IsMatch_NoGlobs_MatchesNothing() => Assert.False(new PathGlob([]).IsMatch("a"));
}
