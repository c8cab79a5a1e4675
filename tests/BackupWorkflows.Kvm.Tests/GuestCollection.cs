using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests;

/// <summary>
/// The guest of the guest collection: vda and vdb in a directory whose name has spaces, quotes and
/// a dollar sign, so every path passed to virsh and qemu-img is an awkward one.
/// </summary>
public sealed class KvmGuestFixture : TestGuestFixture
{
    private readonly string _directory = Path.Combine("/var/tmp/bwf-guests", $"kvm tests 'q' $x {Guid.NewGuid():N}");

    /// <summary>Directory holding the guest's disks, overlays and console log.</summary>
    public string Directory => _directory;

    protected override string Name => "kvm";

    protected override TestGuestOptions Options => new() { DataDiskMiB = 32, Directory = _directory };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>Tests on the shared guest run one after another, with an sshd to reach the same host over SSH.</summary>
[CollectionDefinition(Name)]
public sealed class GuestCollection : ICollectionFixture<KvmGuestFixture>, ICollectionFixture<SshdFixture>
{
    public const string Name = "guest";
}
