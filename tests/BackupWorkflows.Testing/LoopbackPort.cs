using System.Net;
using System.Net.Sockets;

namespace BackupWorkflows.Testing;

/// <summary>Free TCP ports on 127.0.0.1 for the servers fixtures start.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (the OS picks it; another process may take it before the caller binds).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
