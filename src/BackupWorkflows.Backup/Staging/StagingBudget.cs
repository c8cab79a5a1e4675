namespace BackupWorkflows.Backup.Staging;

/// <summary>Whether a full's staged copy fits in a host's staging directory.</summary>
/// <remarks>
/// Staging must hold every full staged at once on the host (as with Commvault's access
/// nodes), so the check counts the reservations other backups already hold, not only the
/// free space the file system reports now (their files may still be growing).
/// </remarks>
public static class StagingBudget
{
    /// <summary>Bytes left once the reservations already held are counted.</summary>
    /// <param name="freeBytes">Free bytes of the staging file system now.</param>
    /// <param name="reservedBytes">Bytes reserved by other backups.</param>
    /// <param name="alreadyWrittenBytes">Bytes those backups have already written to staging.</param>
    public static long Available(long freeBytes, long reservedBytes, long alreadyWrittenBytes) =>
        freeBytes - Math.Max(0, reservedBytes - alreadyWrittenBytes);

    /// <summary>Throws a clear error when <paramref name="neededBytes"/> do not fit.</summary>
    /// <exception cref="StagingFullException">Staging cannot hold the full.</exception>
    public static void EnsureFits(string hostName, string stagingDir, long neededBytes,
        long freeBytes, long reservedBytes, long alreadyWrittenBytes)
    {
        var available = Available(freeBytes, reservedBytes, alreadyWrittenBytes);
        if (neededBytes > available)
            throw new StagingFullException(
                $"Staging directory {stagingDir} on host {hostName} cannot hold this full backup: " +
                $"it needs {Bytes(neededBytes)}, {Bytes(available)} are available " +
                $"({Bytes(freeBytes)} free, {Bytes(reservedBytes)} reserved by other backups).");
    }

    private static string Bytes(long n) => n >= 1 << 30 ? $"{n / (double)(1 << 30):0.0} GiB" : $"{n / (double)(1 << 20):0.0} MiB";
}

/// <summary>The staging directory cannot hold a full backup.</summary>
public sealed class StagingFullException(string message) : Exception(message);
