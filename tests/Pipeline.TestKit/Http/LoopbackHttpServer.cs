using System.Net;

namespace Pipeline.TestKit.Http;

/// <summary>
/// A real HTTP server on 127.0.0.1 for tests: a free port (another process may take it before the listener binds, so
/// a failed start tries a new listener on a new port), every request handed to <c>handle</c>, stopped on dispose.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handle)
    {
        _handle = handle;
        for (var attempt = 0; ; attempt++)
        {
            var listener = new HttpListener();
            var url = new Uri($"http://127.0.0.1:{Registry.FreePort.Next()}/");
            listener.Prefixes.Add(url.AbsoluteUri);
            try
            {
                listener.Start();
                (_listener, BaseUrl) = (listener, url);
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // The failed listener is left as it is: clearing its prefixes would touch the shared per-port state
                // of a port that is not ours.
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; }

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

            using var response = context.Response;
            await _handle(context);
        }
    }
}
