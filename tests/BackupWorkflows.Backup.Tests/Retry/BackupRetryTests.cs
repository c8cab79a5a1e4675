using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Compression;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Guests;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Retry;

/// <summary>
/// The backup-with-retry workflow on a real guest: a repository that is briefly unwritable
/// fails the first attempt, which is cleaned up, and the second attempt succeeds; a deleted
/// parent image turns the next backup into a full that says why.
/// </summary>
public sealed class BackupRetryTests
{
    [Fact]
    public async Task TransientRepositoryFailure_SecondAttemptSucceeds_ThenDeletedParentGivesFull()
    {
        await using var guest = await TestGuest.CreateAsync("retry");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);

        // The repository path is a file for a while: storing fails until the test puts it back.
        Directory.CreateDirectory(harness.RepositoryPath);
        Directory.Move(harness.RepositoryPath, harness.RepositoryPath + ".away");
        File.WriteAllText(harness.RepositoryPath, "not a directory");
        var runtime = harness.Services.GetRequiredService<IWorkflowRuntime>();
        var id = await runtime.StartAsync("backup-with-retry", new JsonObject
        {
            ["host"] = harness.HostName, ["vm"] = guest.Name, ["retryDelaySeconds"] = 3, ["maxRetries"] = 2,
        });
        await JobTestSteps.WaitForAsync(() => harness.BackupsAsync(guest.Name), l => l.Any(b => b.State == BackupState.Error),
            TimeSpan.FromMinutes(3), "a failed first attempt");
        File.Delete(harness.RepositoryPath);
        Directory.Move(harness.RepositoryPath + ".away", harness.RepositoryPath);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var run = await runtime.WaitAsync(id, cancellationToken: cts.Token);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        Assert.Equal(2, run.Output?["attempts"]?.GetValue<int>());

        var backups = await harness.BackupsAsync(guest.Name);
        Assert.Equal([BackupState.Error, BackupState.BackedUp], backups.Select(b => b.State));
        // The failed attempt left no snapshot behind: the VM runs on base + this backup's delta.
        var active = (await guest.Virsh.GetDefinitionAsync(guest.Name)).Disk("vda").Source;
        Assert.Equal(backups[1].Volumes[0].PrimaryDeltaPath, active);
        Assert.True(await guest.Agent.TryPingAsync());

        // A deleted parent image: the next backup cannot be an incremental on it.
        File.Delete(backups[1].Volumes[0].ImagePath);
        var next = await harness.RunAsync("backup-with-retry", new JsonObject { ["host"] = harness.HostName, ["vm"] = guest.Name });
        Assert.True(next.Status == WorkflowStatus.Finished, await harness.DescribeAsync(next));
        Assert.Equal("Full", next.Output?["type"]?.GetValue<string>());
        Assert.Contains("missing", next.Output?["reason"]?.GetValue<string>());
        Assert.Contains("missing", await harness.DescribeAsync(next));
    }
}
