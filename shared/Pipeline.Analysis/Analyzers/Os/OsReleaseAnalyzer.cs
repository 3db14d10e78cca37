using System.Text.RegularExpressions;
using Pipeline.Core.Analysis;
using Pipeline.Core.Model;

namespace Pipeline.Analysis.Analyzers.Os;

/// <summary>
/// Reads the files that name the operating system: os-release (both places), the distribution-specific
/// release files (alpine-release, debian_version, redhat-release and kin, SuSE-release) and lsb-release.
/// Each file becomes one <see cref="OsFact"/> with a priority from <see cref="OsPriority"/>; which fact wins,
/// and how a more precise version refines it, is <see cref="OsResolver"/>'s rule.
/// </summary>
internal sealed partial class OsReleaseAnalyzer : IAnalyzer
{
    public const string AnalyzerType = "os-release";

    // Exact paths only: the walker asks for every file, so a dictionary lookup keeps Wants cheap.
    private static readonly Dictionary<string, Func<string, OsInfo?>> Parsers = new(StringComparer.Ordinal)
    {
        ["etc/os-release"] = ParseOsRelease,
        ["usr/lib/os-release"] = ParseOsRelease,
        ["etc/lsb-release"] = ParseLsbRelease,
        ["etc/alpine-release"] = text => Simple("alpine", text),
        ["etc/debian_version"] = text => Simple("debian", text),
        ["etc/redhat-release"] = ParseRedHatStyle,
        ["etc/centos-release"] = ParseRedHatStyle,
        ["etc/rocky-release"] = ParseRedHatStyle,
        ["etc/almalinux-release"] = ParseRedHatStyle,
        ["etc/fedora-release"] = ParseRedHatStyle,
        ["etc/system-release"] = ParseRedHatStyle,
        ["etc/oracle-release"] = ParseRedHatStyle,
        ["etc/SuSE-release"] = ParseSuseRelease,
    };

    public string Type => AnalyzerType;

    public int Version => 1;

    public bool Wants(LayerEntry entry) => entry.Size <= 64 * 1024 && Parsers.ContainsKey(entry.Path);

    public void Analyze(LayerFile file, LayerAnalysis facts)
    {
        var os = Parsers[file.Path](file.ReadText());
        if (os is null)
        {
            facts.AddError(Type, file.Path, "No operating system could be read from this file.");
            return;
        }

        facts.Os.Add(new OsFact { Path = file.Path, Analyzer = Type, Os = os, Priority = OsPriority.Of(file.Path) });
    }

    /// <summary>Parses os-release: shell-style <c>KEY=value</c> lines, values optionally quoted.</summary>
    internal static OsInfo? ParseOsRelease(string text)
    {
        var values = ParseKeyValues(text);
        if (!values.TryGetValue("ID", out var id) || id.Length == 0)
        {
            return null;
        }

        values.TryGetValue("VERSION_ID", out var version);
        var codename = values.GetValueOrDefault("VERSION_CODENAME") is { Length: > 0 } c ? c : values.GetValueOrDefault("UBUNTU_CODENAME");
        return new OsInfo
        {
            Family = NormalizeFamily(id),
            Version = version ?? string.Empty,
            Name = values.GetValueOrDefault("PRETTY_NAME") is { Length: > 0 } n ? n : values.GetValueOrDefault("NAME"),
            Codename = string.IsNullOrEmpty(codename) ? null : codename,
        };
    }

    /// <summary>lsb-release: <c>DISTRIB_ID=Ubuntu</c>, <c>DISTRIB_RELEASE=22.04</c>, <c>DISTRIB_CODENAME=jammy</c>.</summary>
    internal static OsInfo? ParseLsbRelease(string text)
    {
        var values = ParseKeyValues(text);
        if (!values.TryGetValue("DISTRIB_ID", out var id) || id.Length == 0)
        {
            return null;
        }

        return new OsInfo
        {
            Family = NormalizeFamily(id),
            Version = values.GetValueOrDefault("DISTRIB_RELEASE") ?? string.Empty,
            Name = values.GetValueOrDefault("DISTRIB_DESCRIPTION"),
            Codename = values.GetValueOrDefault("DISTRIB_CODENAME") is { Length: > 0 } c ? c : null,
        };
    }

    /// <summary>
    /// One line naming the distribution and its release, as every Red Hat derivative writes it:
    /// <c>Rocky Linux release 9.3 (Blue Onyx)</c>, <c>CentOS Linux release 7.9.2009 (Core)</c>,
    /// <c>Amazon Linux release 2023.3.20240108 (Amazon Linux)</c>, <c>Oracle Linux Server release 8.9</c>.
    /// </summary>
    internal static OsInfo? ParseRedHatStyle(string text)
    {
        var line = FirstLine(text);
        var m = ReleaseLine().Match(line);
        if (!m.Success)
        {
            return null;
        }

        var family = FamilyFromProductName(m.Groups["name"].Value);
        if (family is null)
        {
            return null;
        }

        return new OsInfo
        {
            Family = family,
            Version = m.Groups["version"].Value,
            Name = line,
            Codename = m.Groups["code"].Success && m.Groups["code"].Value.Length > 0 ? m.Groups["code"].Value : null,
        };
    }

    /// <summary>
    /// The SUSE release file older SLES and openSUSE shipped before os-release: a title line, then
    /// <c>VERSION = 12</c> and <c>PATCHLEVEL = 3</c> (SLES) or <c>VERSION = 42.3</c> (openSUSE).
    /// </summary>
    internal static OsInfo? ParseSuseRelease(string text)
    {
        var title = FirstLine(text);
        string? version = null;
        string? patch = null;
        foreach (var raw in text.Split('\n'))
        {
            var parts = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                continue;
            }

            if (parts[0] == "VERSION")
            {
                version = parts[1];
            }
            else if (parts[0] == "PATCHLEVEL")
            {
                patch = parts[1];
            }
        }

        if (string.IsNullOrEmpty(version))
        {
            return null;
        }

        string family;
        if (title.Contains("openSUSE", StringComparison.OrdinalIgnoreCase))
        {
            family = "opensuse-leap";
        }
        else if (title.Contains("SUSE Linux Enterprise", StringComparison.OrdinalIgnoreCase))
        {
            family = title.Contains("Desktop", StringComparison.OrdinalIgnoreCase) ? "sled" : "sles";
        }
        else
        {
            return null;
        }

        return new OsInfo
        {
            Family = family,
            Version = string.IsNullOrEmpty(patch) || patch == "0" ? version : version + "." + patch,
            Name = title,
        };
    }

    /// <summary>Maps os-release IDs (and lsb-release's DISTRIB_ID) onto one spelling per family.</summary>
    internal static string NormalizeFamily(string id)
    {
        var f = id.Trim().ToLowerInvariant();
        return f switch
        {
            "redhatenterpriseserver" or "redhat" => "rhel",
            "amazon" => "amzn",
            "oracle" or "oraclelinux" => "ol",
            "opensuse" => "opensuse-leap",
            "sles_sap" => "sles",
            "alma" => "almalinux",
            _ => f,
        };
    }

    private static OsInfo? Simple(string family, string text)
    {
        var version = FirstLine(text);
        return version.Length == 0 ? null : new OsInfo { Family = family, Version = version };
    }

    private static string? FamilyFromProductName(string name)
    {
        var n = name.ToLowerInvariant();
        return n switch
        {
            _ when n.StartsWith("red hat enterprise linux", StringComparison.Ordinal) => "rhel",
            _ when n.StartsWith("centos", StringComparison.Ordinal) => "centos",
            _ when n.StartsWith("rocky", StringComparison.Ordinal) => "rocky",
            _ when n.StartsWith("almalinux", StringComparison.Ordinal) => "almalinux",
            _ when n.StartsWith("fedora", StringComparison.Ordinal) => "fedora",
            _ when n.StartsWith("amazon linux", StringComparison.Ordinal) => "amzn",
            _ when n.StartsWith("oracle linux", StringComparison.Ordinal) => "ol",
            _ when n.StartsWith("cbl-mariner", StringComparison.Ordinal) => "mariner",
            _ when n.StartsWith("azure linux", StringComparison.Ordinal) => "azurelinux",
            _ when n.StartsWith("vmware photon", StringComparison.Ordinal) => "photon",
            _ => null,
        };
    }

    private static Dictionary<string, string> ParseKeyValues(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            values[line[..eq].Trim()] = Unquote(line[(eq + 1)..].Trim());
        }

        return values;
    }

    /// <summary>Removes shell quotes and the backslash escapes os-release(5) allows inside double quotes.</summary>
    private static string Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }

        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
            var sb = new System.Text.StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '"' or '\\' or '$' or '`')
                {
                    i++;
                }

                sb.Append(value[i]);
            }

            return sb.ToString();
        }

        return value;
    }

    private static string FirstLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim() is { Length: > 0 } t)
            {
                return t;
            }
        }

        return string.Empty;
    }

    [GeneratedRegex(@"^(?<name>.+?)\s+release\s+(?<version>[0-9][0-9A-Za-z._-]*)(?:\s*\((?<code>[^)]*)\))?", RegexOptions.CultureInvariant)]
    private static partial Regex ReleaseLine();
}
