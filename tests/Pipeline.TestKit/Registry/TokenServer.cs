using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.TestKit.Registry;

/// <summary>
/// A Docker token service on 127.0.0.1 for <see cref="RegistryFixture"/> in token mode: <c>GET /token?service=&amp;scope=</c>
/// answers a JWT signed by a self-signed certificate that the registry trusts (<c>rootcertbundle</c>).
/// Right Basic credentials get the requested actions; no credentials get a token with no access (so the
/// registry then answers 401); wrong credentials get 401 from here.
/// </summary>
public sealed class TokenServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly RSA key = RSA.Create(2048);
    private readonly X509Certificate2 certificate;
    private readonly string username;
    private readonly string password;
    private readonly Task loop;
    private int requests;

    public TokenServer(string service, string issuer, string username, string password)
    {
        Service = service;
        Issuer = issuer;
        this.username = username;
        this.password = password;
        var request = new CertificateRequest("CN=pipeline-test-token-issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // No extended key usage: distribution verifies the chain for any usage.
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Service { get; }

    public string Issuer { get; }

    /// <summary>The realm the registry sends clients to.</summary>
    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>How many token requests were served (tests check caching with it).</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>The signing certificate in PEM, for the registry's <c>rootcertbundle</c>.</summary>
    public string CertificatePem => certificate.ExportCertificatePem();

    public void Dispose()
    {
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener's disposal exception.
        }

        certificate.Dispose();
        key.Dispose();
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref requests);
            try
            {
                Handle(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var response = context.Response;
        var auth = context.Request.Headers["Authorization"];
        var authenticated = false;
        if (auth is not null)
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
            if (auth != expected)
            {
                response.StatusCode = 401;
                response.Close();
                return;
            }

            authenticated = true;
        }

        var access = new JsonArray();
        if (authenticated)
        {
            foreach (var scope in context.Request.QueryString.GetValues("scope") ?? [])
            {
                foreach (var one in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    // type:name:actions, where name may itself hold ':' (a port), so split from both ends.
                    var first = one.IndexOf(':', StringComparison.Ordinal);
                    var last = one.LastIndexOf(':');
                    if (first < 0 || last == first)
                    {
                        continue;
                    }

                    access.Add(new JsonObject
                    {
                        ["type"] = one[..first],
                        ["name"] = one[(first + 1)..last],
                        ["actions"] = new JsonArray(one[(last + 1)..].Split(',').Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                    });
                }
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = authenticated ? username : "",
            ["aud"] = context.Request.QueryString["service"] ?? Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var jwt = signingInput + "." + Base64Url(signature);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token = jwt, access_token = jwt, expires_in = 300, issued_at = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) });
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
