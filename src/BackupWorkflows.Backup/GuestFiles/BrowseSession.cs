using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>One backed-up disk made browsable on the repository's host (see <see cref="BrowseMount"/>),
/// shared by every request on that disk until it has been idle for the configured time.</summary>
public sealed class BrowseSession
{
    private int _active;

    internal BrowseSession(string key, string hostName, IHostShell shell, string directory, string device,
        IReadOnlyList<BrowseFileSystem> fileSystems, long now)
    {
        Key = key;
        HostName = hostName;
        Shell = shell;
        Directory = directory;
        Device = device;
        FileSystems = fileSystems;
        LastUsed = now;
    }

    /// <summary><c>host/backup/disk</c>.</summary>
    public string Key { get; }

    /// <summary>Host the disk is mounted on.</summary>
    public string HostName { get; }

    /// <summary>Shell to that host.</summary>
    public IHostShell Shell { get; }

    /// <summary>The session's run directory on the host.</summary>
    public string Directory { get; }

    /// <summary>The read-only loop device.</summary>
    public string Device { get; }

    /// <summary>The file systems found on the disk.</summary>
    public IReadOnlyList<BrowseFileSystem> FileSystems { get; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the last request's end.</summary>
    public long LastUsed { get; private set; }

    /// <summary>Requests using it now; an active session is never closed for idleness.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Set when a host command on it failed: it is closed when its last request ends.</summary>
    public bool Broken { get; internal set; }

    internal void Enter() => Interlocked.Increment(ref _active);

    internal void Leave(long now)
    {
        LastUsed = now;
        Interlocked.Decrement(ref _active);
    }

    /// <summary>The file system <paramref name="volume"/> names (<c>vda</c>, <c>vda2</c>), mounted.</summary>
    /// <exception cref="BrowseInputException">No such file system, several to choose from, or not mounted.</exception>
    public GuestFileSystem FileSystem(string volume, string diskName)
    {
        var fs = FileSystems.FirstOrDefault(f => f.Name == volume);
        if (fs is null && volume == diskName)
        {
            var mounted = FileSystems.Where(f => f.MountDirectory is not null).ToList();
            if (mounted.Count == 1) fs = mounted[0];
            else if (FileSystems.Count > 0)
                throw new BrowseInputException("volume", $"disk '{diskName}' has several file systems; choose one of {Describe()}.");
        }
        if (fs is null) throw new BrowseInputException("volume", $"'{volume}' is not a file system of disk '{diskName}' (it has {Describe()}).");
        if (fs.MountDirectory is null) throw new BrowseInputException("volume", $"'{fs.Name}' cannot be browsed: {fs.Problem}.");
        return new GuestFileSystem(Shell, fs.MountDirectory);
    }

    private string Describe() => FileSystems.Count == 0 ? "none"
        : string.Join(", ", FileSystems.Select(f => $"{f.Name} ({(f.Type.Length > 0 ? f.Type : "unknown")})"));
}
