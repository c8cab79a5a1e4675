using System.Collections.Concurrent;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.Compression;

/// <summary>
/// Which qcow2 compression types each host's qemu-img writes. zstd needs QEMU ≥ 5.1 built with
/// libzstd; the answer is probed once per host (creating a tiny image) and cached.
/// </summary>
public sealed class CompressionCapability
{
    private readonly ConcurrentDictionary<string, bool> _zstd = new(StringComparer.Ordinal);

    /// <summary>The library to use: <c>zlib</c> when the offering asks for it or zstd is unavailable, else <c>zstd</c>.</summary>
    public async Task<(string Library, string Reason)> ChooseAsync(HostSession host, string requested, CancellationToken ct)
    {
        if (string.Equals(requested, "zlib", StringComparison.OrdinalIgnoreCase)) return ("zlib", "the offering asks for zlib");
        if (!_zstd.TryGetValue(host.Host.Name, out var zstd))
        {
            zstd = await ProbeZstdAsync(host, ct);
            _zstd[host.Host.Name] = zstd;
        }
        return zstd ? ("zstd", "zstd (default)") : ("zlib", $"qemu-img on host '{host.Host.Name}' cannot write zstd-compressed qcow2");
    }

    private static async Task<bool> ProbeZstdAsync(HostSession host, CancellationToken ct)
    {
        var dir = await host.Files.CreateTempDirectoryAsync("bwf-zstd", ct);
        try
        {
            await host.Shell.RunAsync(["qemu-img", "create", "-q", "-f", "qcow2", "-o", "compression_type=zstd", $"{dir}/probe.qcow2", "1M"], null, ct);
            return true;
        }
        catch (HostCommandException) { return false; }
        finally { await host.Files.DeleteDirectoryAsync(dir, CancellationToken.None); }
    }
}
