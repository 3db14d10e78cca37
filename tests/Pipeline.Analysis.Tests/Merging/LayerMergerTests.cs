using Pipeline.Analysis.Merging;
using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Tests.Merging;

public sealed class LayerMergerTests
{
    private static LayerAnalysis Layer(string digest, Action<LayerAnalysis>? fill = null)
    {
        var l = new LayerAnalysis { Digest = digest, DiffId = digest };
        fill?.Invoke(l);
        return l;
    }

    private static Package Deb(string name, string version, string path = "var/lib/dpkg/status") =>
        new() { Name = name, Version = version, Type = PackageTypes.Deb, Path = path };

    [Fact]
    public void Merge_RewrittenStatusFile_LastWriterWinsAndBasePackagesKeepTheirLayer()
    {
        var merged = LayerMerger.Merge([
            Layer("L1", l => { l.Paths.Add("var/lib/dpkg/status"); l.AddPackages("dpkg", "var/lib/dpkg/status", [Deb("bash", "5.2"), Deb("zlib", "1.2")]); }),
            Layer("L2", l => { l.Paths.Add("var/lib/dpkg/status"); l.AddPackages("dpkg", "var/lib/dpkg/status", [Deb("bash", "5.2"), Deb("zlib", "1.3"), Deb("curl", "8.0")]); }),
        ]);

        Assert.Equal(
            [("bash", "5.2", "L1"), ("curl", "8.0", "L2"), ("zlib", "1.3", "L2")],
            merged.Packages.OrderBy(p => p.Name).Select(p => (p.Name, p.Version, p.Layer!)));
    }

    [Fact]
    public void Merge_WhiteoutAndOpaqueDir_RemoveLowerPackages()
    {
        var merged = LayerMerger.Merge([
            Layer("L1", l =>
            {
                l.AddPackages("npm", "app/node_modules/a/package.json", [new Package { Name = "a", Version = "1", Type = "npm", Path = "app/node_modules/a/package.json" }]);
                l.AddPackages("npm", "srv/node_modules/b/package.json", [new Package { Name = "b", Version = "1", Type = "npm", Path = "srv/node_modules/b/package.json" }]);
                l.AddPackages("npm", "keep/node_modules/c/package.json", [new Package { Name = "c", Version = "1", Type = "npm", Path = "keep/node_modules/c/package.json" }]);
            }),
            Layer("L2", l => { l.Whiteouts.Add("app/node_modules"); l.OpaqueDirs.Add("srv"); }),
        ]);

        Assert.Equal(["c"], merged.Packages.Select(p => p.Name));
    }

    [Fact]
    public void Merge_FileReplacedWithoutPackages_DropsTheOldSet()
    {
        var merged = LayerMerger.Merge([
            Layer("L1", l => l.AddPackages("py", "lib/x.dist-info/METADATA", [new Package { Name = "x", Version = "1", Type = "pypi", Path = "lib/x.dist-info/METADATA" }])),
            Layer("L2", l => l.Paths.Add("lib/x.dist-info/METADATA")),
        ]);

        Assert.Empty(merged.Packages);
    }

    [Fact]
    public void Merge_LanguagePackageOwnedByOsPackage_IsNotListedTwice()
    {
        var merged = LayerMerger.Merge([
            Layer("L1", l =>
            {
                l.AddPackages("dpkg", "var/lib/dpkg/status", [Deb("python3-six", "1.16.0-4")]);
                l.OwnedFiles.Add(new OwnedFiles { Path = "var/lib/dpkg/info/python3-six.list", Package = "python3-six", Files = ["usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"] });
                l.AddPackages("python", "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", [new Package { Name = "six", Version = "1.16.0", Type = "pypi", Path = "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA" }]);
                l.AddPackages("python", "app/venv/six-1.16.0.dist-info/METADATA", [new Package { Name = "six", Version = "1.16.0", Type = "pypi", Path = "app/venv/six-1.16.0.dist-info/METADATA" }]);
            }),
        ]);

        Assert.Equal(["python3-six", "six"], merged.Packages.Select(p => p.Name).Order());
        Assert.Equal("app/venv/six-1.16.0.dist-info/METADATA", merged.Packages.Single(p => p.Name == "six").Path);
    }

    [Fact]
    public void Merge_SecretDeletedLater_IsKeptWithBothLayers()
    {
        var secret = new SecretFinding { RuleId = "private-key", Path = "root/.ssh/id_rsa", Line = 1, Preview = "----****", Fingerprint = "f" };
        var token = secret with { RuleId = "github-pat", Path = "app/deploy.sh" };
        var stays = secret with { RuleId = "aws", Path = "etc/app.env" };
        var merged = LayerMerger.Merge([
            Layer("L1"),
            Layer("L2", l => l.Secrets.AddRange([secret, token, stays])),
            Layer("L3", l => { l.Whiteouts.Add("root/.ssh"); l.Paths.Add("app/deploy.sh"); }),
        ]);

        Assert.Collection(
            merged.Secrets,
            s => Assert.Equal(("L2", "L3"), (s.Layer, s.RemovedInLayer)),
            s => Assert.Equal(("L2", "L3"), (s.Layer, s.RemovedInLayer)),
            s => Assert.Equal(("L2", (string?)null), (s.Layer, s.RemovedInLayer)));
    }

    [Fact]
    public void Merge_OsFacts_PreferPriorityAndRefineVersion()
    {
        var merged = LayerMerger.Merge([
            Layer("L1", l =>
            {
                l.Os.Add(new OsFact { Path = "etc/os-release", Priority = 10, Os = new OsInfo { Family = "debian", Version = "12", Codename = "bookworm" } });
                l.Os.Add(new OsFact { Path = "etc/debian_version", Priority = 5, Os = new OsInfo { Family = "debian", Version = "12.5" } });
            }),
        ]);

        Assert.Equal(("debian", "12.5", "bookworm"), (merged.Os!.Family, merged.Os.Version, merged.Os.Codename));
    }

    [Fact]
    public void Merge_SpecialFileRemoved_IsGone()
    {
        var merged = LayerMerger.Merge([
            Layer("L1", l => { l.SpecialFiles.Add(new FileFact { Path = "usr/bin/su", Mode = 0x9ED }); l.SpecialFiles.Add(new FileFact { Path = "tmp/w", Mode = 0x1B6 }); }),
            Layer("L2", l => l.Whiteouts.Add("usr/bin/su")),
        ]);

        Assert.Equal(("tmp/w", "L1"), (merged.SpecialFiles.Single().Path, merged.SpecialFiles.Single().Layer!));
    }
}
