using Pipeline.TestKit;

namespace Pipeline.Analysis.Tests.Analyzers.Language;

/// <summary>
/// Real Debian packages fetched with <c>apt-get download</c> and unpacked with <c>dpkg -x</c> into one cached
/// tree: the language files in them (egg-info, dist-info, jars) are real upstream files as Debian ships them.
/// </summary>
internal static class DebianDebs
{
    /// <summary>The unpacked root holding every package in <paramref name="packages"/>, made once per set.</summary>
    public static string Extract(params string[] packages) =>
        LanguageAnalyzerHarness.Cached("debs-" + string.Join('+', packages), dir =>
        {
            var debs = Path.Combine(dir, ".debs");
            Directory.CreateDirectory(debs);
            Tool.Run("apt-get", ["download", .. packages], workingDirectory: debs, timeout: TimeSpan.FromMinutes(5));
            foreach (var deb in Directory.GetFiles(debs, "*.deb"))
            {
                Tool.Run("dpkg", ["-x", deb, Path.Combine(dir, "root")]);
            }
        });

    /// <summary>The upstream version of a downloaded package: the Debian version without epoch and revision.</summary>
    public static string UpstreamVersion(string extracted, string package)
    {
        var deb = Directory.GetFiles(Path.Combine(extracted, ".debs"), package + "_*.deb").Single();
        var version = Tool.Run("dpkg-deb", ["-f", deb, "Version"]).Trim();
        var colon = version.IndexOf(':', StringComparison.Ordinal);
        var dash = version.LastIndexOf('-');
        return version[(colon + 1)..(dash > colon ? dash : version.Length)];
    }
}
