using System.Collections.Concurrent;
using System.Net;
using Xunit;

namespace Pipeline.TestKit.Webhooks;

/// <summary>A real HTTP endpoint on 127.0.0.1 that records every request and answers what the test says.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly Http.LoopbackHttpServer _server;
    private readonly Func<int, HttpStatusCode> _respond;
    private int _count;

    public WebhookReceiver(Func<int, HttpStatusCode>? respond = null)
    {
        _respond = respond ?? (_ => HttpStatusCode.OK);
        _server = new Http.LoopbackHttpServer(ReceiveAsync);
        Url = new Uri(_server.BaseUrl, "hook/");
    }

    public Uri Url { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    public async Task<Received> WaitForAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} webhook requests, got {Requests.Count}");
            await Task.Delay(20);
        }

        return Requests.ElementAt(count - 1);
    }

    public void Dispose() => _server.Dispose();

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!);
        Requests.Enqueue(new Received(headers, body, context.Request.ContentType));
        context.Response.StatusCode = (int)_respond(Interlocked.Increment(ref _count));
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, string? ContentType);
}
