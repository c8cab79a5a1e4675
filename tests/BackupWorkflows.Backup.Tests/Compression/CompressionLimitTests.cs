using BackupWorkflows.Backup.Jobs;

namespace BackupWorkflows.Backup.Tests.Compression;

[Trait("Category", "Unit")]
public class CompressionLimitTests
{
    [Theory]
    [InlineData(5, 5, 5)]
    [InlineData(2, 5, 2)]   // the host is stricter
    [InlineData(5, 1, 1)]   // the global cap is stricter
    [InlineData(-1, 3, 3)]  // no limit of the host's own
    [InlineData(4, -1, 4)]  // no global cap
    [InlineData(-1, -1, -1)]
    [InlineData(0, 5, 0)]   // 0 pauses compression on that host
    public void For_TheStricterLimitWins(int host, int global, int expected) =>
        Assert.Equal(expected, CompressionLimit.For(host, global));
}
