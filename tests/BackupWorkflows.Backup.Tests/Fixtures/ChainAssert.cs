using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Fixtures;

/// <summary>The invariants every backup path must leave behind, checked on the real host.</summary>
public static class ChainAssert
{
    private static readonly QemuImg QemuImg = new(new LocalHostShell());

    /// <summary>The images under disk <paramref name="target"/> of the guest, active first.</summary>
    public static async Task<IReadOnlyList<ImageInfo>> ChainOfAsync(TestGuest guest, string target = "vda")
    {
        var source = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk(target).Source!;
        return await ChainOfImageAsync(source);
    }

    /// <summary>The chain under an image file, itself first.</summary>
    public static Task<IReadOnlyList<ImageInfo>> ChainOfImageAsync(string image) => QemuImg.BackingChainAsync(image, forceShare: true);

    /// <summary>The VM runs, its file systems are thawed, each disk is on base + at most one delta,
    /// and every BackedUp backup has all its files with the recorded checksums.</summary>
    public static async Task HealthyAsync(TestGuest guest, IEnumerable<BackupRecord> backups, params string[] targets)
    {
        Assert.Equal(DomainState.Running, await guest.Virsh.GetStateAsync(guest.Name));
        Assert.Equal(Kvm.Agent.FreezeStatus.Thawed, await guest.Agent.GetFreezeStatusAsync());
        foreach (var target in targets.DefaultIfEmpty("vda"))
        {
            var chain = await ChainOfAsync(guest, target);
            Assert.True(chain.Count <= 2, $"{target} runs on {chain.Count} images: {string.Join(" <- ", chain.Select(i => i.Filename))}");
        }
        foreach (var b in backups.Where(b => b.State == BackupState.BackedUp))
            foreach (var v in b.Volumes)
            {
                Assert.True(File.Exists(v.ImagePath), $"BackedUp backup {b.Id} lacks {v.ImagePath}");
                Assert.Equal(v.Checksum, ReferenceChecksum.Like(v.Checksum!, v.ImagePath));
            }
    }
}
