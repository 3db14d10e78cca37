using Pipeline.Core.Model;

namespace Pipeline.Core.Tests.Model;

public sealed class PackageUrlTests
{
    [Theory]
    [InlineData("npm", "@babel", "core", "7.24.0", "pkg:npm/%40babel/core@7.24.0")]
    [InlineData("maven", "org.apache.logging.log4j", "log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")]
    [InlineData("golang", "github.com/sirupsen", "logrus", "v1.9.3", "pkg:golang/github.com/sirupsen/logrus@v1.9.3")]
    [InlineData("deb", "debian", "zlib1g", "1:1.2.13.dfsg-1", "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1")]
    [InlineData("pypi", null, "requests", "2.31.0", "pkg:pypi/requests@2.31.0")]
    public void Create_EncodesEachSegment(string type, string? ns, string name, string version, string expected) =>
        Assert.Equal(expected, PackageUrl.Create(type, ns, name, version));

    [Fact]
    public void Create_SortsQualifiersAndDropsEmptyOnes() =>
        Assert.Equal(
            "pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&epoch=1",
            PackageUrl.Create("rpm", "redhat", "bash", "5.1.8-6.el9", [new("epoch", "1"), new("distro", null), new("arch", "x86_64")]));

    [Fact]
    public void Create_EncodesSpacesAndSlashesInNames() =>
        Assert.Equal("pkg:generic/a%20b%2Fc@1", PackageUrl.Create("generic", null, "a b/c", "1"));
}
