using System.Diagnostics;
using System.Text;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Testing.Guests;

/// <summary>
/// A real libvirt guest for tests: a TCG domain (<c>type='qemu'</c>: a Linux kernel does not boot
/// under KVM on these machines) booting the cached kernel and initramfs of <see cref="GuestImageBuilder"/>,
/// with ext4 data disks vda (and optionally vdb) and a guest agent. Dispose destroys and undefines it
/// and deletes its files.
/// </summary>
/// <remarks>
/// Names are <c>bwf-test-{name}-{random}</c>; the domain's metadata records the creating process,
/// so <see cref="StaleGuests.RemoveAsync"/> can remove guests of earlier, killed runs without touching
/// those of test processes still running. Drive the guest through <see cref="Virsh"/> and
/// <see cref="Agent"/> (local shell), or build your own <see cref="Virsh"/> on an SSH shell to the same machine.
/// </remarks>
public sealed partial class TestGuest : IAsyncDisposable
{
    /// <summary>Prefix of every test domain's name.</summary>
    public const string NamePrefix = "bwf-test-";

    private readonly bool _ownsDirectory;

    private TestGuest(string name, string directory, bool ownsDirectory, Virsh virsh, GuestImage image)
    {
        Name = name;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Virsh = virsh;
        Image = image;
        Agent = new GuestAgent(virsh, name);
    }

    /// <summary>The domain name.</summary>
    public string Name { get; }

    /// <summary>Directory holding disks and console log.</summary>
    public string Directory { get; }

    /// <summary>Path of vda's image (qcow2).</summary>
    public string RootDiskPath => Path.Combine(Directory, $"{Name}-vda.qcow2");

    /// <summary>Path of vdb's image, or null when the guest has none.</summary>
    public string? DataDiskPath { get; private set; }

    /// <summary>The serial console log (kernel messages and <c>bwf:</c> lines from /init).</summary>
    public string ConsoleLogPath => Path.Combine(Directory, $"{Name}-console.log");

    /// <summary>virsh on the local host.</summary>
    public Virsh Virsh { get; }

    /// <summary>The guest's agent through <see cref="Virsh"/>.</summary>
    public GuestAgent Agent { get; }

    /// <summary>Kernel and initramfs it boots.</summary>
    public GuestImage Image { get; }

    /// <summary>Time from <c>virsh start</c> until the agent answered a ping.</summary>
    public TimeSpan BootDuration { get; private set; }

    /// <summary>Builds (or reuses) the image, creates disks, defines and starts the guest and waits for its agent.</summary>
    /// <param name="name">Short name, part of the domain name (letters, digits, dashes).</param>
    /// <param name="options">Disks, memory, directory, time limits.</param>
    public static async Task<TestGuest> CreateAsync(string name, TestGuestOptions? options = null)
    {
        options ??= new TestGuestOptions();
        var image = await GuestImageBuilder.GetSharedAsync();
        var virsh = new Virsh(new LocalHostShell(), options.ConnectionUri);
        await StaleGuests.RemoveAsync(virsh);

        var domain = $"{NamePrefix}{name}-{Guid.NewGuid().ToString("N")[..6]}";
        var ownsDirectory = options.Directory is null;
        var directory = options.Directory ?? Path.Combine("/var/tmp/bwf-guests", domain);
        GuestImageBuilder.CreateWorldReadableDirectory(Path.GetDirectoryName(directory.TrimEnd('/'))!);
        GuestImageBuilder.CreateWorldReadableDirectory(directory);

        var guest = new TestGuest(domain, directory, ownsDirectory, virsh, image);
        try
        {
            var builder = new GuestImageBuilder();
            await builder.CreateExt4DiskAsync(guest.RootDiskPath, options.RootDiskMiB);
            if (options.DataDiskMiB is { } dataMiB)
            {
                guest.DataDiskPath = Path.Combine(directory, $"{domain}-vdb.qcow2");
                await builder.CreateExt4DiskAsync(guest.DataDiskPath, dataMiB);
            }

            await virsh.DefineAsync(guest.DomainXml(options));
            if (options.Start)
            {
                await guest.StartAsync(options.BootTimeout);
            }

            return guest;
        }
        catch
        {
            await guest.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the guest and waits until its agent answers.</summary>
    /// <exception cref="TimeoutException">The agent did not answer in time; the message holds the console log's tail.</exception>
    public async Task StartAsync(TimeSpan bootTimeout)
    {
        var watch = Stopwatch.StartNew();
        await Virsh.StartAsync(Name);
        await WaitForAgentAsync(bootTimeout);
        BootDuration = watch.Elapsed;
    }

    /// <summary>Polls guest-ping until it answers (real process, with a deadline).</summary>
    public async Task WaitForAgentAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        // Each ping is a virsh process and a libvirt round trip (a boot took ~20 of them, ~1,000 per Backup.Tests
        // run); reading the console is free. So ping only once /init says the agent starts (QEMU truncates the
        // console file at each start; a console that cannot be read, or already says so, is pinged at once).
        // A short agent time-out: a guest still booting should not hold each ping for libvirt's default.
        var quick = new GuestAgent(Virsh, Name) { CommandTimeout = TimeSpan.FromSeconds(2) };
        while (ConsoleSays(AgentStartingLine) == false || !await quick.TryPingAsync())
        {
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Guest agent of '{Name}' did not answer within {limit}. Console:\n{ConsoleTail()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The console line /init writes just before it starts qemu-ga (<see cref="GuestInit"/>).</summary>
    private const string AgentStartingLine = "bwf: agent port";

    /// <summary>Whether the console log holds <paramref name="text"/>; null when it cannot be read (not there yet).</summary>
    private bool? ConsoleSays(string text)
    {
        try
        {
            return File.ReadAllText(ConsoleLogPath).Contains(text, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a UTF-8 text file in the guest (through the agent) and syncs it to disk.</summary>
    public async Task WriteFileAsync(string path, string content)
    {
        await Agent.WriteFileAsync(path, Encoding.UTF8.GetBytes(content));
        await Agent.ShellAsync("sync \"$1\"", [path]);
    }

    /// <summary>Reads a UTF-8 text file from the guest.</summary>
    public async Task<string> ReadFileAsync(string path) => Encoding.UTF8.GetString(await Agent.ReadFileAsync(path));

    /// <summary>SHA-256 (lowercase hex) of a file in the guest, computed there by sha256sum.</summary>
    public async Task<string> Sha256Async(string path) => (await Agent.ShellAsync("sha256sum < \"$1\"", [path])).Split(' ')[0].Trim();

    /// <summary>Regular files under a directory in the guest, as sorted full paths.</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(string directory) =>
        (await Agent.ShellAsync("find \"$1\" -type f | sort", [directory]))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The last lines of the serial console, for failure messages.</summary>
    public string ConsoleTail(int lines = 40)
    {
        try
        {
            return string.Join('\n', File.ReadAllLines(ConsoleLogPath).TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(no console log: {e.Message})";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"(no console log: {e.Message})";
        }
    }

    /// <summary>Destroys and undefines the domain and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        await StaleGuests.RemoveDomainAsync(Virsh, Name);
        if (_ownsDirectory)
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
        else
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, $"{Name}-*"))
            {
                File.Delete(file);
            }
        }
    }
}
