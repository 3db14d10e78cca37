using Pipeline.Core.Images;

namespace Pipeline.Functions.Ingress;

/// <summary>
/// Tells container images from the other artifacts registries store next to them (cosign signatures and
/// attestations, SBOMs, Helm charts, Notary signatures), which have no filesystem to scan.
/// </summary>
internal static class ArtifactFilter
{
    // Config or artifact media types of OCI artifacts that are not runnable images.
    private static readonly (string Prefix, string What)[] NonImageTypes =
    [
        ("application/vnd.cncf.helm.", "helm chart"),
        ("application/vnd.dev.cosign.", "cosign signature"),
        ("application/vnd.dev.sigstore.", "sigstore bundle"),
        ("application/vnd.in-toto", "in-toto attestation"),
        ("application/vnd.cncf.notary.", "notary signature"),
        ("application/spdx", "SPDX SBOM"),
        ("application/vnd.cyclonedx", "CycloneDX SBOM"),
        ("application/vnd.syft", "syft SBOM"),
        ("application/sarif", "SARIF report"),
        ("application/vnd.oci.empty.v1+json", "artifact with an empty config (referrer)"),
    ];

    /// <summary>Null for an image worth scanning; otherwise why it is skipped.</summary>
    public static string? SkipReason(PushCandidate push)
    {
        if (push.MediaType is { Length: > 0 } mt && !MediaTypes.IsManifest(mt) && !MediaTypes.IsIndex(mt))
        {
            return $"not an image manifest ({mt})";
        }

        if (push.ArtifactType is { Length: > 0 } at)
        {
            foreach (var (prefix, what) in NonImageTypes)
            {
                if (at.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return $"{what} ({at})";
                }
            }
        }

        if (push.Tag is { } tag && tag.StartsWith("sha256-", StringComparison.Ordinal))
        {
            // cosign stores signatures, attestations and SBOMs under tags named after the subject digest.
            if (tag.EndsWith(".sig", StringComparison.Ordinal))
            {
                return "cosign signature tag";
            }

            if (tag.EndsWith(".att", StringComparison.Ordinal))
            {
                return "cosign attestation tag";
            }

            if (tag.EndsWith(".sbom", StringComparison.Ordinal))
            {
                return "cosign SBOM tag";
            }

            if (tag.Length == "sha256-".Length + 64)
            {
                return "referrers tag schema index";
            }
        }

        return null;
    }
}
