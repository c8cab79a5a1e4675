using BackupWorkflows.Backup.Snapshots;

namespace BackupWorkflows.Backup.Tests.Snapshots;

/// <summary>Which images a disk's snapshots still need, and what is deleted or merged (pure logic).</summary>
[Trait("Category", "Unit")]
public sealed class SnapshotTreeTests
{
    private const string Vda = "/img/vda.qcow2";
    private const string O1 = Vda + ".snap-111111111111";   // overlay of s1 (s2 froze it)
    private const string R1 = Vda + ".rev-aaaaaaaaaaaa";     // revert to s1
    private const string O3 = Vda + ".snap-333333333333";    // overlay of s3 (s3 froze R1)

    [Fact]
    public void RemovedSnapshotWhoseImageTwoBranchesNeed_IsKept_AndMergedOnceOneBranchGoes()
    {
        // vda <- O1 (s2's image), vda <- R1 <- O3 (running). s1 (image vda) deleted.
        var backing = new Dictionary<string, string?> { [Vda] = null, [O1] = Vda, [R1] = Vda, [O3] = R1 };
        var tree = new SnapshotTree(O3, backing, readyImages: [O1, R1], removedImages: [Vda]);
        Assert.Equal(TreeStep.None, tree.Next());
        Assert.False(tree.IsMergedAway(Vda));

        // s3 deleted: O3 merges into R1 (the newest: into the current volume).
        tree = new SnapshotTree(O3, backing, readyImages: [O1], removedImages: [Vda, R1]);
        Assert.Equal(new TreeStep(null, O3, R1), tree.Next());

        // s2 deleted after that: O1 is needed by nothing and goes; then vda's one child R1 merges into it.
        backing.Remove(O3);
        tree = new SnapshotTree(R1, backing, readyImages: [], removedImages: [Vda]);
        Assert.Equal(new TreeStep(O1, null, null), tree.Next());
        backing.Remove(O1);
        tree = new SnapshotTree(R1, backing, readyImages: [], removedImages: [Vda]);
        Assert.Equal(new TreeStep(null, R1, Vda), tree.Next());
        backing.Remove(R1);
        tree = new SnapshotTree(Vda, backing, readyImages: [], removedImages: [Vda]);
        Assert.Equal(TreeStep.None, tree.Next());
        Assert.True(tree.IsMergedAway(Vda));
    }

    [Fact]
    public void RunningChain_FollowsTheActiveImageDown_NotOtherBranches()
    {
        // vda <- O1 (a snapshot's branch), vda <- R1 <- O3 (running).
        var backing = new Dictionary<string, string?> { [Vda] = null, [O1] = Vda, [R1] = Vda, [O3] = R1 };

        Assert.Equal([O3, R1, Vda], new SnapshotTree(O3, backing, readyImages: [O1], removedImages: []).RunningChain());
        Assert.Equal([Vda], new SnapshotTree(Vda, backing, readyImages: [], removedImages: []).RunningChain());
    }

    [Fact]
    public void ReadySnapshotImage_IsNeverChanged_NorAnImageThatIsNotOurs()
    {
        const string template = "/img/template.qcow2";
        var backing = new Dictionary<string, string?> { [template] = null, [Vda] = template, [O1] = Vda };
        // s (image vda) is Ready: vda must not change, although it has one child.
        Assert.Equal(TreeStep.None, new SnapshotTree(O1, backing, [Vda], [Vda]).Next());
        // The disk's own image is never merged into a template, nor deleted, even when nothing lists it.
        Assert.Equal(TreeStep.None, new SnapshotTree(Vda, new Dictionary<string, string?> { [template] = null, [Vda] = template }, [], [template]).Next());
        Assert.Equal(TreeStep.None, new SnapshotTree(O1, new Dictionary<string, string?> { ["/other/disk.qcow2"] = null, [O1] = Vda, [Vda] = null }, [], []).Next());
    }

    [Fact]
    public void AbandonedBranchAfterARevert_IsDeleted_UnlessASnapshotOnItIsReady()
    {
        const string delta = Vda + ".bwf-bbbbbbbbbbbb";
        var backing = new Dictionary<string, string?> { [Vda] = null, [O1] = Vda, [delta] = O1, [R1] = Vda };
        // Reverted to s1 (image vda): O1 and the backup delta on it belong to no one.
        var tree = new SnapshotTree(R1, backing, readyImages: [Vda], removedImages: []);
        Assert.Equal(new TreeStep(delta, null, null), tree.Next());
        // With s2 (image O1) still Ready, O1 stays; the delta above it still goes.
        tree = new SnapshotTree(R1, backing, readyImages: [Vda, O1], removedImages: []);
        Assert.Equal(new TreeStep(delta, null, null), tree.Next());
        Assert.Equal([R1, O1], tree.ChildrenOf(Vda)); // ordinal order
    }
}
