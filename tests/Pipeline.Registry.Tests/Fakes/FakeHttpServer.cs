using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Pipeline.TestKit.Registry;

namespace Pipeline.Registry.Tests.Fakes;

/// <summary>A recorded request to <see cref="FakeHttpServer"/>.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>The reply a fake handler gives.</summary>
internal sealed record FakeResponse(int Status, string Body = "", string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// An HttpListener on 127.0.0.1 standing in for a cloud endpoint that tests cannot reach (AWS, Entra/ACR):
/// it records every request and answers with the handler's reply.
/// </summary>
internal sealed class FakeHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<RecordedRequest, FakeResponse> handler;
    private readonly Task loop;

    public FakeHttpServer(Func<RecordedRequest, FakeResponse> handler)
    {
        this.handler = handler;
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public void Dispose()
    {
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Listener disposal ends the loop with an exception.
        }
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k.ToLowerInvariant(), k => context.Request.Headers[k]!);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "/", headers, body.ToArray());
            Requests.Enqueue(request);
            FakeResponse reply;
            try
            {
                reply = handler(request);
            }
            catch (Exception e)
            {
                reply = new FakeResponse(500, e.Message, "text/plain");
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = reply.ContentType;
            foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[k] = v;
            }

            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
