using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipeline.TestKit.Registry;

/// <summary>
/// A TCP pass-through in front of a server on 127.0.0.1 (a <see cref="RegistryFixture"/>) that can hold a request
/// whose bytes contain a given text, such as <c>GET /v2/team/app/blobs/sha256:…</c>: the client is then provably
/// in the middle of that request (a worker pulling a layer) for as long as the test wants, with no sleeps.
/// <see cref="Release"/> lets held and later requests through. Everything else passes unchanged, so clients
/// (skopeo, the registry client) talk to the real server through <see cref="Host"/>.
/// <code>
/// using var proxy = new StallingProxy(registry.Port);
/// proxy.Stall($"GET /v2/team/app/blobs/{layerDigest} ");
/// await proxy.Stalled;     // a client is waiting for that blob now
/// proxy.Release();
/// </code>
/// </summary>
public sealed class StallingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _accepting;
    private volatile string? _pattern;
    private int _held;

    /// <param name="targetPort">The port on 127.0.0.1 that connections are forwarded to.</param>
    public StallingProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The proxy's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, to use in place of the target's host.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Completes when a request matching <see cref="Stall"/>'s text arrived and is being held.</summary>
    public Task Stalled => _stalled.Task;

    /// <summary>How many requests are held right now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Holds, from now on, every client request whose bytes contain <paramref name="requestText"/> (until <see cref="Release"/>).</summary>
    public void Stall(string requestText)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestText);
        _pattern = requestText;
    }

    /// <summary>Forwards the held requests and stops holding, for good: a proxy stalls one phase of a test.</summary>
    public void Release()
    {
        _pattern = null;
        _released.TrySetResult();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _released.TrySetResult();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client.GetStream(), server.GetStream(), inspect: true, connection.Token);
            var down = PumpAsync(server.GetStream(), client.GetStream(), inspect: false, connection.Token);
            await Task.WhenAny(up, down);
            await connection.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A side closed the connection (a killed client, the test ending): nothing to forward any more.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool inspect, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var tail = string.Empty;
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (inspect && _pattern is { } pattern)
                {
                    // Latin-1 maps bytes one to one; the tail catches a request line split across reads.
                    var text = tail + Encoding.Latin1.GetString(buffer, 0, n);
                    if (text.Contains(pattern, StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _held);
                        _stalled.TrySetResult();
                        await _released.Task.WaitAsync(cancellationToken);
                        Interlocked.Decrement(ref _held);
                        text = string.Empty;
                    }

                    tail = text.Length > pattern.Length ? text[^pattern.Length..] : text;
                }

                await to.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
