using System.Net;
using System.Net.Sockets;

namespace Pipeline.TestKit.Registry;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
public static class FreePort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port nothing listens on right now (the OS picks it; another process could take it before use), never handed
    /// out twice in this process: test classes run in parallel, and two fixtures, or a fixture and a test that needs a
    /// port where nothing answers, must not be given the same one.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
