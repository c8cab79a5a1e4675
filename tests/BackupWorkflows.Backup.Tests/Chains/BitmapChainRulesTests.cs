using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Kvm.Domains;

namespace BackupWorkflows.Backup.Tests.Chains;

/// <summary>When a bitmap chain can continue, and the reason it cannot, from what libvirt and QEMU report.</summary>
[Trait("Category", "Unit")]
public sealed class BitmapChainRulesTests
{
    private const string Disk = "/p/vda.qcow2";
    private static readonly CurrentDisk[] OnBase = [new("vda", Disk, true)];

    private static BackupRecord Latest(string? checkpoint = "bwf-1", BackupStrategy strategy = BackupStrategy.Bitmap) => new()
    {
        Id = Guid.NewGuid(), VmName = "vm", HostName = "h", RepositoryName = "r", Type = BackupType.Full, ChainId = Guid.NewGuid(),
        ChainPosition = 1, State = BackupState.BackedUp, Strategy = strategy, Checkpoint = checkpoint,
        Volumes = [new BackupVolume { Target = "vda", PrimaryBasePath = Disk, ImagePath = "/r/x" }],
    };

    private static BitmapFacts Facts(bool running = true, string[]? checkpoints = null, DirtyBitmap[]? bitmaps = null, string[]? raw = null) =>
        new(running, checkpoints ?? ["bwf-1"], bitmaps ?? [new DirtyBitmap(Disk, "bwf-1", Recording: true, Inconsistent: false, Persistent: true)], raw ?? []);

    private static ChainDecision Decide(BackupRecord latest, BitmapFacts facts, BackupStrategy strategy = BackupStrategy.Bitmap) =>
        ChainRules.Decide(RequestedBackup.Auto, 8, latest, null, OnBase, strategy, facts);

    [Fact]
    public void CheckpointAndConsistentBitmapPresent_Incremental()
    {
        var latest = Latest();
        var d = Decide(latest, Facts());
        Assert.Equal(BackupType.Incremental, d.Type);
        Assert.Equal(latest.Id, d.Parent);
    }

    [Theory]
    [InlineData("missing-checkpoint", "checkpoint bwf-1 of the latest backup is missing from libvirt")]
    [InlineData("missing-bitmap", "disk vda (/p/vda.qcow2) has no dirty bitmap bwf-1")]
    [InlineData("inconsistent", "the dirty bitmap bwf-1 of disk vda is inconsistent")]
    [InlineData("not-recording", "the dirty bitmap bwf-1 of disk vda is not recording")]
    [InlineData("stopped", "the VM is stopped")]
    [InlineData("raw", "disk vda is a raw image")]
    public void BrokenTracking_FullWithTheReason(string what, string reason)
    {
        var facts = what switch
        {
            "missing-checkpoint" => Facts(checkpoints: []),
            "missing-bitmap" => Facts(bitmaps: [new DirtyBitmap("/p/other.qcow2", "bwf-1", true, false, true)]),
            "inconsistent" => Facts(bitmaps: [new DirtyBitmap(Disk, "bwf-1", true, true, true)]),
            "not-recording" => Facts(bitmaps: [new DirtyBitmap(Disk, "bwf-1", false, false, true)]),
            "stopped" => Facts(running: false, bitmaps: []),
            _ => Facts(raw: ["vda"]),
        };
        var d = Decide(Latest(), facts);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.StartsWith(reason, d.Reason);
    }

    [Fact]
    public void LatestMadeNoCheckpoint_Full()
    {
        var d = Decide(Latest(checkpoint: null), Facts());
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Contains("created no checkpoint", d.Reason);
    }

    [Theory]
    [InlineData(BackupStrategy.Delta, BackupStrategy.Bitmap, "the offering's strategy changed from delta to bitmap")]
    [InlineData(BackupStrategy.Bitmap, BackupStrategy.Delta, "the offering's strategy changed from bitmap to delta")]
    public void StrategySwitched_FullThatSaysSo(BackupStrategy before, BackupStrategy now, string reason)
    {
        var d = Decide(Latest(strategy: before), Facts(), now);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Equal(reason, d.Reason);
    }
}
