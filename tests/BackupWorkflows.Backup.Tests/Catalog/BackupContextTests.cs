using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Catalog;

public sealed class BackupContextTests
{
    [Fact]
    public async Task Offering_OfAVmWithoutAssignment_IsAClearErrorNamingTheVm_WhileCleanupStillLoads()
    {
        await using var harness = await BackupHarness.StartAsync();
        var id = Guid.NewGuid();
        await harness.WithDbAsync(async db =>
        {
            db.Backups.Add(new BackupRecord
            {
                Id = id, VmName = "gone-1", HostName = harness.HostName, RepositoryName = "r1", Type = BackupType.Full,
                State = BackupState.Creating, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        await using var scope = harness.Services.CreateAsyncScope();
        var work = await scope.ServiceProvider.GetRequiredService<BackupContextLoader>().LoadAsync(id.ToString(), CancellationToken.None);

        // Host, repository and backup load (so cleanup can run); the policy has no made-up default.
        Assert.Equal("gone-1", work.Backup.VmName);
        var error = Assert.Throws<BackupInputException>(() => work.Offering);
        Assert.Contains("VM 'gone-1'", error.Message);
        Assert.Contains("not assigned", error.Message);
    }
}
