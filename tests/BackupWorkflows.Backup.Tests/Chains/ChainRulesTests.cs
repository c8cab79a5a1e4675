using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Tests.Chains;

[Trait("Category", "Unit")]
public sealed class ChainRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static BackupRecord Backup(int position, Guid chain, string delta = "/p/vda.d1",
        BackupState state = BackupState.BackedUp) => new()
    {
        Id = Guid.NewGuid(), VmName = "vm", HostName = "h", RepositoryName = "r",
        Type = position == 1 ? BackupType.Full : BackupType.Incremental, ChainId = chain,
        ChainPosition = position, State = state, CreatedAt = T0.AddHours(position),
        Volumes = [new BackupVolume { Target = "vda", PrimaryBasePath = "/p/vda", PrimaryDeltaPath = delta, ImagePath = "/r/x" }],
    };

    private static readonly CurrentDisk[] OnDelta = [new("vda", "/p/vda.d1", true)];

    [Fact]
    public void Decide_FirstBackup_IsFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 8, null, null, OnDelta);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Equal(1, d.ChainPosition);
        Assert.Contains("first backup", d.Reason);
    }

    [Fact]
    public void Decide_ChainWithRoom_IsIncrementalOnLatest()
    {
        var chain = Guid.NewGuid();
        var latest = Backup(2, chain);
        var d = ChainRules.Decide(RequestedBackup.Auto, 3, latest, null, OnDelta);
        Assert.Equal(BackupType.Incremental, d.Type);
        Assert.Equal(latest.Id, d.Parent);
        Assert.Equal(chain, d.ChainId);
        Assert.Equal(3, d.ChainPosition);
    }

    [Fact]
    public void Decide_ChainOfThreeIsFull_FourthIsFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 3, Backup(3, Guid.NewGuid()), null, OnDelta);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Contains("chain is full (3 of 3)", d.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Decide_UnlimitedChain_StaysIncremental(int chainSize)
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, chainSize, Backup(500, Guid.NewGuid()), null, OnDelta);
        Assert.Equal(BackupType.Incremental, d.Type);
        Assert.Equal(501, d.ChainPosition);
    }

    [Fact]
    public void Decide_ChainSizeOne_AlwaysFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 1, Backup(1, Guid.NewGuid()), null, OnDelta);
        Assert.Equal(BackupType.Full, d.Type);
    }

    [Fact]
    public void Decide_VolumeMigrated_IsFullAndSaysWhy()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 8, Backup(1, Guid.NewGuid()), null,
            [new CurrentDisk("vda", "/other/vda.d1", true)]);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Contains("/other/vda.d1", d.Reason);
    }

    [Fact]
    public void Decide_DeltaMissingOnPrimary_IsFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 8, Backup(1, Guid.NewGuid()), null,
            [new CurrentDisk("vda", "/p/vda.d1", false)]);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Contains("missing", d.Reason);
    }

    [Fact]
    public void Decide_ChainEndedByRestore_IsFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 8, Backup(1, Guid.NewGuid()), "restored", OnDelta);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Contains("restored", d.Reason);
    }

    [Fact]
    public void Decide_NewDiskAdded_IsFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 8, Backup(1, Guid.NewGuid()), null,
            [.. OnDelta, new CurrentDisk("vdb", "/p/vdb", true)]);
        Assert.Equal(BackupType.Full, d.Type);
        Assert.Contains("vdb", d.Reason);
    }

    [Fact]
    public void Decide_Isolated_BelongsToNoChain()
    {
        var d = ChainRules.Decide(RequestedBackup.Isolated, 8, Backup(1, Guid.NewGuid()), null, OnDelta);
        Assert.Equal(BackupType.Isolated, d.Type);
        Assert.Null(d.ChainId);
        Assert.Null(d.Parent);
    }

    [Fact]
    public void Decide_LatestInError_IsFull()
    {
        var d = ChainRules.Decide(RequestedBackup.Auto, 8, Backup(2, Guid.NewGuid(), state: BackupState.Error), null, OnDelta);
        Assert.Equal(BackupType.Full, d.Type);
    }
}
