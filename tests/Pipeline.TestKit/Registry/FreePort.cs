using System.Net;
using System.Net.Sockets;

namespace Pipeline.TestKit.Registry;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the OS picks it; another process could take it before use).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
