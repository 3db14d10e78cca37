using System.Collections.Concurrent;
using System.Net;
using Xunit;

namespace Pipeline.TestKit.Webhooks;

/// <summary>A real HTTP endpoint on 127.0.0.1 that records every request and answers what the test says.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, HttpStatusCode> _respond;
    private readonly Task _loop;
    private int _count;

    public WebhookReceiver(Func<int, HttpStatusCode>? respond = null)
    {
        _respond = respond ?? (_ => HttpStatusCode.OK);
        var port = Registry.FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
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

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!);
            Requests.Enqueue(new Received(headers, body, context.Request.ContentType));
            context.Response.StatusCode = (int)_respond(Interlocked.Increment(ref _count));
            context.Response.Close();
        }
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, string? ContentType);
}
