using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.Analysis;

/// <summary>
/// The cache key of one layer's analysis: a hash of its diffID (the uncompressed content, so the same layer
/// compressed two ways shares one entry), the analysis schema, the walker's limits and the type and version
/// of every analyzer that runs. Bumping one analyzer's version invalidates exactly the layers it could change.
/// </summary>
public static class LayerCacheKey
{
    public static string Compute(string diffId, IEnumerable<IAnalyzer> analyzers, string limitsFingerprint = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(diffId);
        var sb = new StringBuilder();
        sb.Append("schema=").Append(LayerAnalysis.CurrentSchemaVersion).Append('\n');
        sb.Append("diffid=").Append(diffId).Append('\n');
        sb.Append("limits=").Append(limitsFingerprint).Append('\n');
        foreach (var a in analyzers.OrderBy(a => a.Type, StringComparer.Ordinal))
        {
            sb.Append(a.Type).Append('=').Append(a.Version).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return "sha256-" + Convert.ToHexStringLower(hash);
    }
}
