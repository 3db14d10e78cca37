using Pipeline.Core.Analysis;

namespace Pipeline.Analysis.Analyzers.Language.Python;

/// <summary>
/// Installed Python distributions: wheel installs leave <c>NAME-VER.dist-info/METADATA</c>, setuptools installs
/// <c>NAME-VER.egg-info/PKG-INFO</c> (or a single <c>NAME-VER.egg-info</c> file, as Debian ships some), and
/// eggs <c>EGG-INFO/PKG-INFO</c>. All are RFC 822 style headers (core metadata spec).
/// </summary>
internal sealed class PythonPackageAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "python-pkg";

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry)
    {
        var path = entry.Path;
        return path.EndsWith(".dist-info/METADATA", StringComparison.Ordinal)
            || path.EndsWith(".egg-info/PKG-INFO", StringComparison.Ordinal)
            || path.EndsWith("/EGG-INFO/PKG-INFO", StringComparison.Ordinal)
            || path.EndsWith(".egg-info", StringComparison.Ordinal);
    }

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var headers = CoreMetadata.Parse(LanguageText.Read(file.Content));
        var name = headers.GetValueOrDefault("name");
        var version = headers.GetValueOrDefault("version");
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(version))
        {
            throw new InvalidDataException("No Name or Version header: not Python core metadata.");
        }

        facts.AddPackages(Type, file.Path, [LanguagePackage.PyPI(name, version, file.Path, CoreMetadata.Licenses(headers))]);
    }
}

/// <summary>Python core metadata (PEP 241 through 643): RFC 822 headers, then a blank line, then the description.</summary>
internal static class CoreMetadata
{
    private const string LicenseClassifier = "License :: ";

    /// <summary>Headers by lower-case name; a repeated header (Classifier) keeps its values joined by newlines.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                break;
            }

            if (line[0] is ' ' or '\t')
            {
                // A continuation line (a multi-line License text).
                if (last is not null)
                {
                    headers[last] += "\n" + line.Trim();
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            last = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            headers[last] = headers.TryGetValue(last, out var existing) ? existing + "\n" + value : value;
        }

        return headers;
    }

    /// <summary>
    /// License-Expression (PEP 639) wins; else a short License header (long ones are the whole license text,
    /// useless as a name); else the trove classifiers <c>License :: OSI Approved :: MIT License</c>.
    /// </summary>
    public static List<string> Licenses(Dictionary<string, string> headers)
    {
        if (headers.GetValueOrDefault("license-expression") is { Length: > 0 } expression)
        {
            return [expression];
        }

        if (headers.GetValueOrDefault("license") is { Length: > 0 and <= 100 } license && !license.Contains('\n', StringComparison.Ordinal) && license != "UNKNOWN")
        {
            return [license];
        }

        var result = new List<string>();
        foreach (var classifier in (headers.GetValueOrDefault("classifier") ?? string.Empty).Split('\n'))
        {
            if (classifier.StartsWith(LicenseClassifier, StringComparison.Ordinal))
            {
                var name = classifier[(classifier.LastIndexOf("::", StringComparison.Ordinal) + 2)..].Trim();
                if (name.Length > 0 && name != "OSI Approved")
                {
                    result.Add(name);
                }
            }
        }

        return result;
    }
}
