using System.Text;
using System.Text.Json;

namespace Pipeline.Registry.Auth;

/// <summary>
/// Reads <c>auths</c> from a docker <c>config.json</c>: <c>auth</c> (base64 <c>user:password</c>),
/// <c>username</c>/<c>password</c> and <c>identitytoken</c>. Credential helpers (<c>credsStore</c>,
/// <c>credHelpers</c>) run external programs and are not used.
/// </summary>
internal sealed class DockerConfig
{
    // A config.json is a few kilobytes; anything far larger is not one.
    private const long MaxBytes = 1 << 20;

    private readonly Dictionary<string, RegistryCredential> byHost;

    private DockerConfig(Dictionary<string, RegistryCredential> byHost) => this.byHost = byHost;

    public static DockerConfig Empty { get; } = new(new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The path used when none is configured: <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>.</summary>
    public static string DefaultPath()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        return dir is { Length: > 0 }
            ? Path.Combine(dir, "config.json")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "config.json");
    }

    /// <summary>Loads the file; a missing file gives an empty config, a malformed one a clear error.</summary>
    public static DockerConfig Load(string? path)
    {
        path ??= DefaultPath();
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Empty;
        }

        if (info.Length > MaxBytes)
        {
            throw new RegistryException($"Docker config {path} is larger than {MaxBytes} bytes.");
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidDataException)
        {
            throw new RegistryException($"Docker config {path} is malformed: {e.Message}", e);
        }
    }

    public static DockerConfig Parse(ReadOnlySpan<byte> json)
    {
        var result = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        if (doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
        {
            return new DockerConfig(result);
        }

        foreach (var entry in auths.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            string? user = Str(entry.Value, "username"), password = Str(entry.Value, "password");
            if (Str(entry.Value, "auth") is { Length: > 0 } auth)
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    throw new InvalidDataException($"the auth entry for '{entry.Name}' is not base64 of user:password");
                }

                user = decoded[..colon];
                password = decoded[(colon + 1)..];
            }

            var identityToken = Str(entry.Value, "identitytoken");
            if (user is null && password is null && identityToken is null)
            {
                continue;
            }

            result[NormalizeKey(entry.Name)] = new RegistryCredential(user, password, identityToken);
        }

        return new DockerConfig(result);
    }

    /// <summary>Credentials for a registry as written in references (<c>docker.io</c> matches Hub's legacy key).</summary>
    public RegistryCredential? Find(string registry) =>
        byHost.TryGetValue(NormalizeKey(registry), out var c) ? c : null;

    // Keys appear as "host", "host:port", "https://host/v1/" and Hub's "https://index.docker.io/v1/".
    private static string NormalizeKey(string key)
    {
        var k = key;
        var scheme = k.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            k = k[(scheme + 3)..];
        }

        var slash = k.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            k = k[..slash];
        }

        return k.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? ImageReference.DockerHub : k.ToLowerInvariant();
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
