using System.Text;

namespace Pipeline.Core.Model;

/// <summary>
/// Builds package URLs (purl spec: <c>pkg:type/namespace/name@version?qualifiers#subpath</c>). Each segment is
/// percent-encoded; qualifiers are sorted by key as the spec requires for a canonical form.
/// </summary>
public static class PackageUrl
{
    public static string Create(string type, string? @namespace, string name, string? version, IEnumerable<KeyValuePair<string, string?>>? qualifiers = null, string? subpath = null)
    {
        var sb = new StringBuilder("pkg:").Append(type.ToLowerInvariant()).Append('/');
        if (!string.IsNullOrEmpty(@namespace))
        {
            foreach (var seg in @namespace.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                sb.Append(Encode(seg)).Append('/');
            }
        }

        sb.Append(Encode(name));
        if (!string.IsNullOrEmpty(version))
        {
            sb.Append('@').Append(Encode(version));
        }

        if (qualifiers is not null)
        {
            var q = qualifiers.Where(kv => !string.IsNullOrEmpty(kv.Value))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => kv.Key.ToLowerInvariant() + "=" + Encode(kv.Value!))
                .ToList();
            if (q.Count > 0)
            {
                sb.Append('?').AppendJoin('&', q);
            }
        }

        if (!string.IsNullOrEmpty(subpath))
        {
            sb.Append('#').Append(string.Join('/', subpath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Encode)));
        }

        return sb.ToString();
    }

    /// <summary>Percent-encodes everything outside the purl's unreserved set (':' is kept, as in versions like 1:2.3).</summary>
    public static string Encode(string segment)
    {
        var sb = new StringBuilder(segment.Length);
        foreach (var b in Encoding.UTF8.GetBytes(segment))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '+')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2"));
            }
        }

        return sb.ToString();
    }
}
