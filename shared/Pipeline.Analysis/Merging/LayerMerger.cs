using Pipeline.Analysis.Analyzers.Os;
using Pipeline.Analysis.Walking;
using Pipeline.Core.Analysis;
using Pipeline.Core.Findings;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Merging;

/// <summary>
/// Applies layers in order, as a container runtime would: opaque directories hide lower content, whiteouts
/// delete, and the last writer of a path wins. A pure function of its input.
/// </summary>
public static class LayerMerger
{
    public static MergedImage Merge(IReadOnlyList<LayerAnalysis> layers)
    {
        var packageSets = new Dictionary<string, (int Layer, PackageSet Set)>(StringComparer.Ordinal);
        var osFacts = new Dictionary<string, (int Layer, OsFact Fact)>(StringComparer.Ordinal);
        var owned = new Dictionary<string, List<OwnedFiles>>(StringComparer.Ordinal);
        var special = new Dictionary<string, FileFact>(StringComparer.Ordinal);
        var errors = new List<AnalysisError>();

        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            foreach (var dir in layer.OpaqueDirs)
            {
                RemoveUnder(packageSets, dir, includeSelf: false);
                RemoveUnder(osFacts, dir, includeSelf: false);
                RemoveUnder(owned, dir, includeSelf: false);
                RemoveUnder(special, dir, includeSelf: false);
            }

            foreach (var path in layer.Whiteouts)
            {
                RemoveUnder(packageSets, path, includeSelf: true);
                RemoveUnder(osFacts, path, includeSelf: true);
                RemoveUnder(owned, path, includeSelf: true);
                RemoveUnder(special, path, includeSelf: true);
            }

            // A path this layer writes replaces the lower file, whether or not an analyzer found anything in it.
            foreach (var path in layer.Paths)
            {
                packageSets.Remove(path);
                osFacts.Remove(path);
                owned.Remove(path);
                special.Remove(path);
            }

            // Lists read from one file (a dpkg .list, an apk or rpm database) are replaced together.
            foreach (var group in layer.OwnedFiles.GroupBy(o => o.Path, StringComparer.Ordinal))
            {
                owned[group.Key] = [.. group];
            }

            foreach (var set in layer.PackageSets)
            {
                packageSets[set.Path] = (i, set);
            }

            foreach (var fact in layer.Os)
            {
                osFacts[fact.Path] = (i, fact);
            }

            foreach (var f in layer.SpecialFiles)
            {
                special[f.Path] = new FileFact { Path = f.Path, Mode = f.Mode, Layer = layer.Digest };
            }

            errors.AddRange(layer.Errors.Select(e => new AnalysisError { Analyzer = e.Analyzer, Path = e.Path, Message = $"{e.Message} (layer {Short(layer.Digest)})" }));
        }

        // Built only when a language package needs it: an image of OS packages alone never pays for the set.
        HashSet<string>? ownedFiles = null;
        var os = OsResolver.Resolve(osFacts.Values.Select(v => v.Fact));
        var packages = new List<Package>();
        var index = new PackageIndex(layers);
        foreach (var (path, (layerIndex, set)) in packageSets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            foreach (var p in set.Packages)
            {
                // A language package installed by the OS package manager (python3-six's dist-info) is the OS
                // package's business: its advisories come through the OS ecosystem, so it is not listed twice.
                if (!PackageTypes.IsOs(p.Type)
                    && MergedUsrAliases(p.Path).Any((ownedFiles ??= new HashSet<string>(owned.Values.SelectMany(list => list).SelectMany(o => o.Files), StringComparer.Ordinal)).Contains))
                {
                    continue;
                }

                // A layer cannot know its distribution; the merged image can, so OS purls are completed here.
                var stamped = p with { Layer = layers[IntroducingLayer(layers, layerIndex, path, p, index)].Digest };
                packages.Add(PackageTypes.IsOs(p.Type) ? OsPackageUrls.ForOs(stamped, os) : stamped);
            }
        }

        return new MergedImage
        {
            Os = os,
            Packages = packages,
            Secrets = MergeSecrets(layers),
            SpecialFiles = [.. special.Values.OrderBy(f => f.Path, StringComparer.Ordinal)],
            Errors = errors,
        };
    }

    /// <summary>
    /// The earliest layer, up to the one that holds the final copy of the file, whose copy of the same file
    /// already listed this package at this version: a dpkg status rewritten by a later layer still credits
    /// the base layer with the base packages.
    /// </summary>
    private static int IntroducingLayer(IReadOnlyList<LayerAnalysis> layers, int finalLayer, string path, Package package, PackageIndex index)
    {
        var first = finalLayer;
        for (var i = finalLayer - 1; i >= 0; i--)
        {
            var listed = index.Of(i, path);
            if (listed is null)
            {
                if (layers[i].Whiteouts.Any(w => TarPath.IsUnder(path, w)))
                {
                    break;
                }

                continue;
            }

            if (!listed.Contains((package.Name, package.FullVersion, package.Type)))
            {
                break;
            }

            first = i;
        }

        return first;
    }

    /// <summary>Each layer's packages per file as sets, built on first use: one lookup per package and layer.</summary>
    private sealed class PackageIndex(IReadOnlyList<LayerAnalysis> layers)
    {
        private readonly Dictionary<(int, string), HashSet<(string, string, string)>?> _sets = [];

        public HashSet<(string, string, string)>? Of(int layer, string path)
        {
            if (!_sets.TryGetValue((layer, path), out var set))
            {
                set = layers[layer].PackageSets.FirstOrDefault(s => s.Path == path)?.Packages.Select(p => (p.Name, p.FullVersion, p.Type)).ToHashSet();
                _sets[(layer, path)] = set;
            }

            return set;
        }
    }

    /// <summary>
    /// Secrets are kept from every layer: a key added in one layer and deleted in a later one is still in the
    /// image for anyone who pulls it. The finding names the layer that added it and the first later layer
    /// that deleted, hid or replaced the file.
    /// </summary>
    private static List<SecretFinding> MergeSecrets(IReadOnlyList<LayerAnalysis> layers)
    {
        var result = new List<SecretFinding>();
        for (var i = 0; i < layers.Count; i++)
        {
            foreach (var s in layers[i].Secrets)
            {
                string? removedIn = null;
                for (var j = i + 1; j < layers.Count && removedIn is null; j++)
                {
                    var later = layers[j];
                    if (later.Whiteouts.Any(w => TarPath.IsUnder(s.Path, w))
                        || later.OpaqueDirs.Any(d => TarPath.IsUnder(s.Path, d) && s.Path != d)
                        || later.Paths.Contains(s.Path))
                    {
                        removedIn = later.Digest;
                    }
                }

                result.Add(s with { Layer = layers[i].Digest, RemovedInLayer = removedIn });
            }
        }

        return result;
    }

    /// <summary>
    /// On merged-/usr systems <c>bin</c>, <c>sbin</c> and <c>lib*</c> are links into <c>usr</c>, and dpkg lists
    /// a file under whichever name the package shipped it. Ownership is checked under both names.
    /// </summary>
    private static IEnumerable<string> MergedUsrAliases(string path)
    {
        yield return path;
        foreach (var top in MergedUsrDirectories)
        {
            if (path.StartsWith(top + "/", StringComparison.Ordinal))
            {
                yield return "usr/" + path;
            }
            else if (path.StartsWith("usr/" + top + "/", StringComparison.Ordinal))
            {
                yield return path[4..];
            }
        }
    }

    private static readonly string[] MergedUsrDirectories = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

    private static void RemoveUnder<T>(Dictionary<string, T> map, string dir, bool includeSelf)
    {
        foreach (var key in map.Keys.ToList())
        {
            if (TarPath.IsUnder(key, dir) && (includeSelf || key != dir))
            {
                map.Remove(key);
            }
        }
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
