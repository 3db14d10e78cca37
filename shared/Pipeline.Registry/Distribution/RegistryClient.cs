using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Pipeline.Core.Images;
using Pipeline.Registry.Manifests;

namespace Pipeline.Registry.Distribution;

/// <summary>
/// The pull side of the OCI distribution API for one repository: manifests and blobs, with Basic and Bearer
/// token auth, digest checks on everything small, and redirects followed by hand so that Authorization never
/// reaches a storage host.
/// </summary>
internal sealed class RegistryClient
{
    private const int MaxRedirects = 5;

    // Registry error bodies are small JSON; read a bounded prefix for the message.
    private const int MaxErrorBody = 4096;

    private static readonly string ManifestAccept = string.Join(", ",
        MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest);

    private static readonly Lazy<HttpClient> DefaultHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    { Timeout = Timeout.InfiniteTimeSpan });

    private readonly ImageReference reference;
    private readonly RegistryOptions options;
    private readonly HttpClient http;
    private readonly Uri baseUri;
    private string? authorization;
    private bool sentCredential;

    public RegistryClient(ImageReference reference, RegistryOptions options)
    {
        options.EnsureAllowed(reference.Registry);
        this.reference = reference;
        this.options = options;
        http = options.HttpClient ?? DefaultHttp.Value;
        var scheme = reference.IsLoopback || options.Insecure ? "http" : "https";
        baseUri = new Uri($"{scheme}://{reference.ApiHost}/");
    }

    public string Registry => reference.Registry;

    public string Repository => reference.Repository;

    /// <summary>Fetches a manifest by tag or digest; by digest the bytes must hash to it.</summary>
    public async Task<ManifestBytes> GetManifestAsync(string tagOrDigest, CancellationToken cancellationToken)
    {
        var what = $"manifest {reference.Registry}/{reference.Repository}{(tagOrDigest.Contains(':', StringComparison.Ordinal) ? "@" : ":")}{tagOrDigest}";
        using var response = await SendAsync($"v2/{reference.Repository}/manifests/{tagOrDigest}", ManifestAccept, what, cancellationToken).ConfigureAwait(false);
        var bytes = await Layout.LayoutImageSource.ReadBoundedAsync(
            await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), ManifestDocument.MaxBytes, what, cancellationToken).ConfigureAwait(false);
        string digest;
        if (Digests.IsValid(tagOrDigest))
        {
            Digests.Verify(bytes, tagOrDigest, what);
            digest = tagOrDigest;
        }
        else
        {
            digest = Digests.Compute(bytes);
            if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } header
                && header.StartsWith("sha256:", StringComparison.Ordinal) && header != digest)
            {
                throw new DigestMismatchException(header, digest, what);
            }
        }

        return new ManifestBytes(bytes, response.Content.Headers.ContentType?.MediaType, digest);
    }

    /// <summary>Reads a small blob (a config) whole and verifies it.</summary>
    public async Task<byte[]> GetBlobBytesAsync(string digest, int maxBytes, string kind, CancellationToken cancellationToken)
    {
        Digests.Validate(digest, kind);
        var what = $"{kind} {digest} of {reference.Registry}/{reference.Repository}";
        var bytes = await Layout.LayoutImageSource.ReadBoundedAsync(await OpenBlobAsync(digest, cancellationToken).ConfigureAwait(false), maxBytes, what, cancellationToken).ConfigureAwait(false);
        Digests.Verify(bytes, digest, what);
        return bytes;
    }

    /// <summary>Opens a blob as the registry (or its storage redirect) serves it: the raw response stream, unbuffered.</summary>
    public async Task<Stream> OpenBlobAsync(string digest, CancellationToken cancellationToken)
    {
        Digests.Validate(digest, "blob");
        var response = await SendAsync($"v2/{reference.Repository}/blobs/{digest}", null, $"blob {digest} of {reference.Registry}/{reference.Repository}", cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? accept, string what, CancellationToken cancellationToken)
    {
        var uri = new Uri(baseUri, path);
        var retriedAuth = false;
        for (var redirects = 0; ; )
        {
            var sameHost = uri.Authority == baseUri.Authority;
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            // Never hand the registry's credentials to another host (blob storage behind a 307).
            if (sameHost && authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && sameHost && !retriedAuth && AuthChallenge.From(response) is { } challenge)
            {
                response.Dispose();
                retriedAuth = true;
                // A 401 to a header we sent means that token is stale (revoked, server restarted): fetch anew.
                authorization = await AuthorizeAsync(challenge, bypassCache: request.Headers.Authorization is not null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (++redirects > MaxRedirects)
                {
                    throw new RegistryException($"Too many redirects fetching {what} from {reference.Registry}.");
                }

                uri = location.IsAbsoluteUri ? location : new Uri(uri, location);
                CheckOutboundTarget(uri, what);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                throw await ErrorAsync(response, what, sentCredential, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryUnreachableException($"Cannot reach registry {reference.Registry}: no answer within {options.RequestTimeout.TotalSeconds:0} s ({request.RequestUri!.GetLeftPart(UriPartial.Authority)}).", e);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnreachableException($"Cannot reach registry {reference.Registry}: {Reason(e)} ({request.RequestUri!.GetLeftPart(UriPartial.Authority)}).", e);
        }
    }

    private static string Reason(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return "host not found";
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return "connection timed out";
                case SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable }:
                    return "network unreachable";
                case AuthenticationException a:
                    return "TLS handshake failed: " + a.Message;
            }
        }

        return e.HttpRequestError == HttpRequestError.NameResolutionError ? "host not found" : e.Message;
    }

    private async Task<string> AuthorizeAsync(AuthChallenge challenge, bool bypassCache, CancellationToken cancellationToken)
    {
        var credential = await options.CredentialForAsync(reference.Registry, cancellationToken).ConfigureAwait(false);
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credential is not { Username: { } user, Password: { } password })
            {
                throw new RegistryAuthenticationException($"Registry {reference.Registry} requires credentials (Basic) and none are configured for it.");
            }

            sentCredential = true;
            return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryAuthenticationException($"Registry {reference.Registry} asks for unsupported authentication scheme '{Digests.Shorten(challenge.Scheme)}'.");
        }

        if (challenge["realm"] is not { } realmText || !Uri.TryCreate(realmText, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new RegistryAuthenticationException($"Registry {reference.Registry} sent a Bearer challenge without a valid realm.");
        }

        CheckOutboundTarget(realm, "the token realm");
        var scope = challenge["scope"] ?? $"repository:{reference.Repository}:pull";
        var service = challenge["service"];
        var key = $"{realm}|{service}|{scope}|{credential?.Username}|{credential?.IdentityToken?.GetHashCode(StringComparison.Ordinal)}";
        sentCredential = credential is { IdentityToken: not null } or { Username: not null, Password: not null };
        if (!bypassCache && options.Tokens.Get(key) is { } cached)
        {
            return "Bearer " + cached;
        }

        var (token, lifetime) = await FetchTokenAsync(realm, service, scope, credential, cancellationToken).ConfigureAwait(false);
        options.Tokens.Put(key, token, lifetime);
        return "Bearer " + token;
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(Uri realm, string? service, string scope, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage();
        request.RequestUri = realm;
        if (credential?.IdentityToken is { } refreshToken)
        {
            // OAuth2 refresh-token grant (docker identitytoken, ACR refresh token from /oauth2/exchange).
            request.Method = HttpMethod.Post;
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("refresh_token", refreshToken),
                new("scope", scope),
                new("client_id", "pipeline"),
            };
            if (service is not null)
            {
                form.Add(new("service", service));
            }

            request.Content = new FormUrlEncodedContent(form);
        }
        else
        {
            request.Method = HttpMethod.Get;
            var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
            if (service is not null)
            {
                query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
            }

            query.Append("scope=").Append(Uri.EscapeDataString(scope));
            request.RequestUri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
            if (credential is { Username: { } user, Password: { } password })
            {
                if (realm.Scheme == "http" && !ImageReference.IsLoopbackHost(realm.Authority) && !options.Insecure)
                {
                    throw new RegistryAuthenticationException($"Registry {reference.Registry} names a plain-HTTP token realm {realm.Authority}; refusing to send credentials there.");
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            }
        }

        using var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new RegistryAuthenticationException($"Registry {reference.Registry} refused the credentials: its token service at {realm.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new RegistryException($"Token service {realm.Authority} of registry {reference.Registry} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        var body = await Layout.LayoutImageSource.ReadBoundedAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), 1 << 20, "token response", cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var token = (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null);
            if (string.IsNullOrEmpty(token))
            {
                throw new RegistryAuthenticationException($"Token service {realm.Authority} of registry {reference.Registry} returned no token.");
            }

            // The token spec's default lifetime is 60 seconds when expires_in is absent.
            var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) && s > 0 ? s : 60;
            return (token, TimeSpan.FromSeconds(seconds));
        }
        catch (JsonException e)
        {
            throw new RegistryException($"Token service {realm.Authority} of registry {reference.Registry} returned invalid JSON.", e);
        }
    }

    /// <summary>
    /// A registry chooses where redirects and token realms point; refuse link-local targets (cloud metadata
    /// services) and plain HTTP to non-loopback hosts unless insecure was asked for.
    /// </summary>
    private void CheckOutboundTarget(Uri target, string what)
    {
        if (target.Scheme is not ("http" or "https"))
        {
            throw new RegistryException($"Registry {reference.Registry} pointed {what} at unsupported scheme '{target.Scheme}'.");
        }

        if (IPAddress.TryParse(target.Host.Trim('[', ']'), out var ip)
            && (ip.IsIPv6LinkLocal || (ip.AddressFamily == AddressFamily.InterNetwork && ip.GetAddressBytes() is [169, 254, ..])))
        {
            throw new RegistryException($"Registry {reference.Registry} pointed {what} at link-local address {target.Host}; refused.");
        }

        if (target.Scheme == "http" && !options.Insecure && !reference.IsLoopback && !ImageReference.IsLoopbackHost(target.Authority))
        {
            throw new RegistryException($"Registry {reference.Registry} pointed {what} at plain-HTTP {target.Authority}; refused (use insecure to allow).");
        }
    }

    private async Task<RegistryException> ErrorAsync(HttpResponseMessage response, string what, bool withCredentials, CancellationToken cancellationToken)
    {
        var detail = await ErrorDetailAsync(response, cancellationToken).ConfigureAwait(false);
        var status = $"{(int)response.StatusCode} {response.ReasonPhrase}{detail}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when withCredentials =>
                new RegistryAuthenticationException($"Registry {reference.Registry} refused the credentials for {reference.Repository}: {status}."),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new RegistryAuthenticationException($"Registry {reference.Registry} denied access to {reference.Repository}: {status}."),
            HttpStatusCode.NotFound => new ImageNotFoundException($"Not found: {what} ({status})."),
            _ => new RegistryException($"Registry {reference.Registry} answered {status} for {what}."),
        };
    }

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBody];
            var n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(buffer.AsMemory(0, n));
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
                return $", {Digests.Shorten(code)}: {Digests.Shorten(message)}".ReplaceLineEndings(" ");
            }
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            // The body is only decoration for the message; the status code already says what happened.
        }

        return "";
    }
}
