using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Os.Rpm;

/// <summary>
/// rpm packages from the package database in any of its three formats: SQLite (<c>rpmdb.sqlite</c>),
/// Berkeley DB hash (<c>Packages</c>) and ndb (<c>Packages.db</c>), under <c>var/lib/rpm</c> or
/// <c>usr/lib/sysimage/rpm</c>. The format is told by the content, not the name.
/// </summary>
internal sealed class RpmAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "rpm";

    private static readonly HashSet<string> DatabasePaths = new(StringComparer.Ordinal)
    {
        "var/lib/rpm/rpmdb.sqlite",
        "var/lib/rpm/Packages",
        "var/lib/rpm/Packages.db",
        "usr/lib/sysimage/rpm/rpmdb.sqlite",
        "usr/lib/sysimage/rpm/Packages",
        "usr/lib/sysimage/rpm/Packages.db",
    };

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => DatabasePaths.Contains(entry.Path);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var errors = new ErrorList(Type, file.Path);
        var blobs = ReadBlobs(file.Content.Span, errors.Add);
        var packages = new List<Package>();
        foreach (var (id, blob) in blobs)
        {
            RpmHeaderInfo header;
            try
            {
                header = RpmHeader.Parse(blob);
            }
            catch (InvalidDataException e)
            {
                errors.Add($"package {id}: {e.Message}");
                continue;
            }

            // The public keys rpm imports are stored as pseudo-packages named gpg-pubkey.
            if (header.Name == "gpg-pubkey")
            {
                continue;
            }

            packages.Add(ToPackage(header, file.Path));
            if (header.FilesError is not null)
            {
                errors.Add($"package {header.Name}: file list unreadable: {header.FilesError}");
            }

            if (header.Files.Count > 0)
            {
                facts.OwnedFiles.Add(new OwnedFiles { Path = file.Path, Package = header.Name, Files = [.. header.Files] });
            }
        }

        errors.WriteTo(facts);
        facts.AddPackages(Type, file.Path, packages);
    }

    /// <summary>The header blobs of a database in any of rpm's formats, with an id for error messages.</summary>
    internal static List<(string Id, byte[] Blob)> ReadBlobs(ReadOnlySpan<byte> db, Action<string> onError)
    {
        if (RpmSqlite.IsSqlite(db))
        {
            return [.. RpmSqlite.ReadAll(db, onError).Select(r => (r.Hnum.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Blob))];
        }

        if (RpmNdb.IsNdb(db))
        {
            return [.. RpmNdb.ReadAll(db, onError).Select(r => (r.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Blob))];
        }

        if (BerkeleyDbHash.IsHashDatabase(db))
        {
            var list = new List<(string, byte[])>();
            foreach (var (key, value) in BerkeleyDbHash.ReadAll(db, onError))
            {
                // Instance 0 holds rpm's next-instance counter, not a header.
                if (key.Length == 4 && BitConverter.ToUInt32(key) == 0)
                {
                    continue;
                }

                list.Add((Convert.ToHexStringLower(key), value));
            }

            return list;
        }

        throw new InvalidDataException("Not an rpm database: neither SQLite, ndb nor Berkeley DB hash.");
    }

    internal static Package ToPackage(RpmHeaderInfo h, string path)
    {
        var (sourceName, sourceVersion) = SplitSourceRpm(h.SourceRpm);
        var release = h.Release.Length == 0 ? null : h.Release;
        var version = release is null ? h.Version : h.Version + "-" + release;
        return new Package
        {
            Name = h.Name,
            Version = h.Version,
            Release = release,
            Epoch = h.Epoch,
            Arch = h.Arch,
            Type = PackageTypes.Rpm,
            SourceName = sourceName,
            SourceVersion = sourceVersion,
            Licenses = h.License is null ? null : [h.License],
            Path = path,
            Purl = PackageUrl.Create(
                PackageTypes.Rpm,
                VendorNamespace(h.Vendor),
                h.Name,
                version,
                [new("arch", h.Arch), new("epoch", h.Epoch is > 0 ? h.Epoch.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)]),
        };
    }

    /// <summary><c>bash-5.1.8-6.el9.src.rpm</c> → (<c>bash</c>, <c>5.1.8-6.el9</c>): the name is everything before the version and release.</summary>
    internal static (string? Name, string? Version) SplitSourceRpm(string? sourceRpm)
    {
        if (string.IsNullOrEmpty(sourceRpm))
        {
            return (null, null);
        }

        var s = sourceRpm;
        foreach (var suffix in (string[])[".src.rpm", ".nosrc.rpm"])
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length];
                break;
            }
        }

        var releaseDash = s.LastIndexOf('-');
        var versionDash = releaseDash > 0 ? s.LastIndexOf('-', releaseDash - 1) : -1;
        if (versionDash <= 0)
        {
            return (s, null);
        }

        return (s[..versionDash], s[(versionDash + 1)..]);
    }

    /// <summary>The purl namespace for a vendor string, or null when the vendor is unknown or absent.</summary>
    internal static string? VendorNamespace(string? vendor)
    {
        if (string.IsNullOrEmpty(vendor))
        {
            return null;
        }

        var v = vendor.ToLowerInvariant();
        return v switch
        {
            _ when v.Contains("red hat", StringComparison.Ordinal) => "redhat",
            _ when v.Contains("centos", StringComparison.Ordinal) => "centos",
            _ when v.Contains("rocky", StringComparison.Ordinal) => "rocky",
            _ when v.Contains("almalinux", StringComparison.Ordinal) => "almalinux",
            _ when v.Contains("fedora", StringComparison.Ordinal) => "fedora",
            _ when v.Contains("amazon", StringComparison.Ordinal) => "amazon",
            _ when v.Contains("oracle", StringComparison.Ordinal) => "oracle",
            _ when v.Contains("opensuse", StringComparison.Ordinal) => "opensuse",
            _ when v.Contains("suse", StringComparison.Ordinal) => "suse",
            _ when v.Contains("microsoft", StringComparison.Ordinal) => "microsoft",
            _ when v.Contains("vmware", StringComparison.Ordinal) => "photon",
            _ => null,
        };
    }
}
