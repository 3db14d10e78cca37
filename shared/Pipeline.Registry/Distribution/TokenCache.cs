using System.Collections.Concurrent;

namespace Pipeline.Registry.Distribution;

/// <summary>Bearer tokens by realm, service, scope and credential, kept until shortly before they expire.</summary>
internal sealed class TokenCache(TimeProvider time)
{
    // Renew a little early so a token does not expire between the check and the request.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> tokens = new(StringComparer.Ordinal);

    public string? Get(string key) =>
        tokens.TryGetValue(key, out var t) && time.GetUtcNow() < t.Expires - Margin ? t.Token : null;

    public void Put(string key, string token, TimeSpan lifetime) => tokens[key] = (token, time.GetUtcNow() + lifetime);
}
