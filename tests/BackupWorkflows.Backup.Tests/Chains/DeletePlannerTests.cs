using BackupWorkflows.Backup.Chains;
using BackupWorkflows.Backup.Model;

namespace BackupWorkflows.Backup.Tests.Chains;

[Trait("Category", "Unit")]
public sealed class DeletePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A chain full -> inc1 -> inc2, oldest first.</summary>
    private static List<BackupRecord> Chain(int length)
    {
        var chain = Guid.NewGuid();
        var list = new List<BackupRecord>();
        for (var i = 0; i < length; i++)
            list.Add(new BackupRecord
            {
                Id = i == 0 ? chain : Guid.NewGuid(), VmName = "vm", HostName = "h", RepositoryName = "r",
                Type = i == 0 ? BackupType.Full : BackupType.Incremental, ChainId = chain,
                ParentId = i == 0 ? null : list[i - 1].Id, ChainPosition = i + 1,
                State = BackupState.BackedUp, CreatedAt = T0.AddHours(i),
            });
        return list;
    }

    [Fact]
    public void Plan_MiddleBackup_IsMarkedRemovedAndKeepsFiles()
    {
        var c = Chain(3);
        var plan = DeletePlanner.Plan(c[1], c);
        Assert.Equal([c[1].Id], plan.MarkRemoved);
        Assert.Empty(plan.Expunge);
        Assert.False(plan.MergeDeltaOnPrimary);
    }

    [Fact]
    public void Plan_Newest_IsExpungedAndMergesDelta()
    {
        var c = Chain(3);
        var plan = DeletePlanner.Plan(c[2], c);
        Assert.Equal([c[2].Id], plan.Expunge);
        Assert.True(plan.MergeDeltaOnPrimary);
    }

    [Fact]
    public void Plan_LastChildOfRemovedParents_ExpungesThemChildFirst()
    {
        var c = Chain(3);
        c[0].State = BackupState.Removed;
        c[1].State = BackupState.Removed;
        var plan = DeletePlanner.Plan(c[2], c);
        Assert.Equal([c[2].Id, c[1].Id, c[0].Id], plan.Expunge);
    }

    [Fact]
    public void Plan_RemovedParentWithOtherChild_IsKept()
    {
        var c = Chain(2);
        c[0].State = BackupState.Removed;
        var sibling = new BackupRecord
        {
            Id = Guid.NewGuid(), VmName = "vm", HostName = "h", RepositoryName = "r",
            Type = BackupType.Incremental, ChainId = c[0].Id, ParentId = c[0].Id, ChainPosition = 2,
            State = BackupState.BackedUp, CreatedAt = T0.AddHours(5),
        };
        c.Add(sibling);
        var plan = DeletePlanner.Plan(c[1], c);
        Assert.Equal([c[1].Id], plan.Expunge);
    }

    [Fact]
    public void Plan_AlreadyExpunged_IsRefused()
    {
        var c = Chain(1);
        c[0].State = BackupState.Expunged;
        var ex = Assert.Throws<InvalidOperationException>(() => DeletePlanner.Plan(c[0], c));
        Assert.Contains("already deleted", ex.Message);
    }
}
