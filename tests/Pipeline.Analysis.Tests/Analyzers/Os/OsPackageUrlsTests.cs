using Pipeline.Analysis.Analyzers.Os;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Tests.Analyzers.Os;

public sealed class OsPackageUrlsTests
{
    private static readonly OsInfo Ubuntu = new() { Family = "ubuntu", Version = "22.04" };

    [Fact]
    public void ForOs_DebOnUbuntu_UsesUbuntuNamespaceAndDistro()
    {
        var bash = new Package { Name = "bash", Version = "5.1-6ubuntu1", Type = PackageTypes.Deb, Arch = "amd64", Path = "var/lib/dpkg/status", Purl = "pkg:deb/debian/bash@5.1-6ubuntu1?arch=amd64" };

        Assert.Equal("pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04", OsPackageUrls.ForOs(bash, Ubuntu).Purl);
    }

    [Fact]
    public void ForOs_RpmWithVendor_KeepsVendorNamespaceAndAddsDistro()
    {
        var p = new Package { Name = "bash", Version = "5.1.8", Release = "6.el9", Epoch = 1, Type = PackageTypes.Rpm, Arch = "x86_64", Path = "var/lib/rpm/rpmdb.sqlite", Purl = "pkg:rpm/rocky/bash@5.1.8-6.el9?arch=x86_64&epoch=1" };

        Assert.Equal("pkg:rpm/rocky/bash@5.1.8-6.el9?arch=x86_64&distro=rocky-9.3&epoch=1", OsPackageUrls.ForOs(p, new OsInfo { Family = "rocky", Version = "9.3" }).Purl);
    }

    [Fact]
    public void ForOs_RpmWithoutVendor_TakesNamespaceFromFamily()
    {
        var p = new Package { Name = "bash", Version = "5.2.15", Release = "2.amzn2023", Type = PackageTypes.Rpm, Arch = "x86_64", Path = "var/lib/rpm/rpmdb.sqlite", Purl = "pkg:rpm/bash@5.2.15-2.amzn2023?arch=x86_64" };

        Assert.Equal("pkg:rpm/amazon/bash@5.2.15-2.amzn2023?arch=x86_64&distro=amzn-2023", OsPackageUrls.ForOs(p, new OsInfo { Family = "amzn", Version = "2023" }).Purl);
    }

    [Fact]
    public void ForOs_LanguagePackageOrUnknownOs_Unchanged()
    {
        var npm = new Package { Name = "lodash", Version = "4.17.21", Type = PackageTypes.Npm, Path = "app/package.json", Purl = "pkg:npm/lodash@4.17.21" };
        var deb = new Package { Name = "bash", Version = "5.2", Type = PackageTypes.Deb, Path = "var/lib/dpkg/status", Purl = "pkg:deb/debian/bash@5.2" };

        Assert.Same(npm, OsPackageUrls.ForOs(npm, Ubuntu));
        Assert.Same(deb, OsPackageUrls.ForOs(deb, null));
    }
}
