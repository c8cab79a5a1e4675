using BackupWorkflows.Backup.Staging;

namespace BackupWorkflows.Backup.Tests.Staging;

[Trait("Category", "Unit")]
public sealed class StagingBudgetTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void EnsureFits_OtherReservationsCount_RefusesWithNumbers()
    {
        // 1 GiB free, another backup reserved 800 MiB and has written 100 MiB of it so far.
        var ex = Assert.Throws<StagingFullException>(() =>
            StagingBudget.EnsureFits("h1", "/staging", 400 * MiB, 1024 * MiB, 800 * MiB, 100 * MiB));
        Assert.Contains("/staging on host h1", ex.Message);
        Assert.Contains("needs 400.0 MiB, 324.0 MiB are available", ex.Message);
    }

    [Fact]
    public void EnsureFits_ExactlyTheRoomLeft_Passes_OneByteMore_IsRefused()
    {
        // 1 GiB free, 700 MiB of another backup's reservation still to be written: 324 MiB are left.
        var left = StagingBudget.Available(1024 * MiB, 800 * MiB, 100 * MiB);
        Assert.Equal(324 * MiB, left);
        Assert.Null(Record.Exception(() => StagingBudget.EnsureFits("h1", "/staging", left, 1024 * MiB, 800 * MiB, 100 * MiB)));
        Assert.Throws<StagingFullException>(() => StagingBudget.EnsureFits("h1", "/staging", left + 1, 1024 * MiB, 800 * MiB, 100 * MiB));
    }

    [Fact]
    public void Available_WrittenBeyondReservation_NeverAddsSpace() =>
        Assert.Equal(500 * MiB, StagingBudget.Available(500 * MiB, 100 * MiB, 300 * MiB));
}
