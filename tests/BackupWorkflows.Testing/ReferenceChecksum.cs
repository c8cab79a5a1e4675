using System.Diagnostics;
using System.Security.Cryptography;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Testing;

/// <summary>Checksums computed without the product's code, to check the ones it records.</summary>
public static class ReferenceChecksum
{
    /// <summary>The file's checksum in the form <c>algorithm:hex</c>, by the algorithm of <paramref name="recorded"/>:
    /// SHA-256 by .NET, BLAKE3 by the reference <c>b3sum</c> reading standard input.</summary>
    public static string Like(string recorded, string path)
    {
        var algorithm = FileChecksum.Parse(recorded).Algorithm;
        if (algorithm == FileChecksum.Sha256)
        {
            using var stream = File.OpenRead(path);
            return $"sha256:{Convert.ToHexStringLower(SHA256.HashData(stream))}";
        }
        var start = new ProcessStartInfo("sh", ["-c", "exec b3sum --no-names < \"$1\"", "sh", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var hex = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"b3sum failed on {path}");
        return $"blake3:{hex}";
    }
}
