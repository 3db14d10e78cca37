using System.Text.RegularExpressions;

namespace Pipeline.Functions.Ingress;

/// <summary>A push an ingress parser found in a request, before filtering, allow-listing and dedupe.</summary>
/// <param name="Registry">Registry host (with port) the event names.</param>
/// <param name="ArtifactType">Artifact or config media type when the source tells it (ECR, distribution references).</param>
internal sealed record PushCandidate(string Registry, string Repository, string Digest, string? Tag, string? MediaType, string? ArtifactType = null);

/// <summary>An event in a request that is not scanned, and why (recorded in the audit log).</summary>
internal sealed record SkippedEvent(string Reason);

/// <summary>What a parser read from one request body.</summary>
internal sealed class IngressBatch
{
    public List<PushCandidate> Pushes { get; } = [];

    public List<SkippedEvent> Skipped { get; } = [];

    /// <summary>Set for an Event Grid subscription validation: the code to echo as <c>validationResponse</c>.</summary>
    public string? ValidationCode { get; set; }
}

/// <summary>A request body that cannot be read as the source's schema; answered 400 with <see cref="Exception.Message"/>.</summary>
internal sealed class MalformedPayloadException : Exception
{
    public MalformedPayloadException(string message)
        : base(message)
    {
    }

    public MalformedPayloadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Validation of the names an event carries; they end up in pull URLs and blob names, so they must be strict.</summary>
internal static partial class ImageNames
{
    public static void Validate(PushCandidate push)
    {
        if (!RegistryRegex().IsMatch(push.Registry))
        {
            throw new MalformedPayloadException($"Registry '{Truncate(push.Registry)}' is not a host name with an optional port.");
        }

        if (push.Repository.Length > 255 || !RepositoryRegex().IsMatch(push.Repository))
        {
            throw new MalformedPayloadException($"Repository '{Truncate(push.Repository)}' is not a valid repository name.");
        }

        if (!DigestRegex().IsMatch(push.Digest))
        {
            throw new MalformedPayloadException($"Digest '{Truncate(push.Digest)}' is not a sha256 or sha512 digest.");
        }

        if (push.Tag is not null && !TagRegex().IsMatch(push.Tag))
        {
            throw new MalformedPayloadException($"Tag '{Truncate(push.Tag)}' is not a valid tag.");
        }
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?$")]
    private static partial Regex RegistryRegex();

    // The distribution spec's repository name grammar.
    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryRegex();

    [GeneratedRegex(@"^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")]
    private static partial Regex DigestRegex();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagRegex();
}
