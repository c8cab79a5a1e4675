using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Backup.Validation;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Compression;

/// <summary>The checksum re-check schedule, with its jobs queued on a real engine (SQLite).</summary>
public sealed class SettingsAndJobsTests
{
    [Fact]
    public async Task ChecksumRecheck_QueuesBackupsNotVerifiedWithinTheInterval_AsValidateInstances_Once()
    {
        await using var harness = await BackupHarness.StartAsync();
        // Something else validates on the host: an instance that holds the host's validation lock on a
        // durable timer, so the re-check job stays queued behind it while the test looks.
        await harness.Services.GetRequiredService<IWorkflowDefinitionStore>().ImportAsync($$"""
            { "id": "hold-validation", "name": "hold", "locks": [ { "name": "{{JobWorkflows.HostLock(JobType.Validation, harness.HostName)}}" } ],
              "activities": [ { "id": "wait", "type": "Flow.Delay", "inputs": { "seconds": 600 } } ] }
            """, publish: true);
        var runtime = harness.Services.GetRequiredService<IWorkflowRuntime>();
        var holder = await runtime.StartAsync("hold-validation");
        // The holder has the lock once it sleeps on its timer; a re-check queued before that could take the lock first.
        Assert.Equal(WorkflowStatus.Suspended, (await runtime.WaitAsync(holder, untilIdle: true)).Status);
        var old = Backup(harness.HostName, DateTimeOffset.UtcNow.AddHours(-25));
        var fresh = Backup(harness.HostName, DateTimeOffset.UtcNow.AddHours(-1));
        await harness.WithDbAsync(async db => { db.Backups.AddRange(old, fresh); await db.SaveChangesAsync(); });
        await using var scope = harness.Services.CreateAsyncScope();
        var scheduler = scope.ServiceProvider.GetRequiredService<ChecksumRecheckScheduler>();
        var settings = scope.ServiceProvider.GetRequiredService<BackupSettings>();
        await settings.SetAsync(SettingCatalog.ValidationRecheckIntervalHours, "0");
        Assert.Equal(0, await scheduler.QueueDueAsync(CancellationToken.None)); // turned off
        await settings.SetAsync(SettingCatalog.ValidationRecheckIntervalHours, "24");

        Assert.Equal(1, await scheduler.QueueDueAsync(CancellationToken.None)); // only the one not verified for 25 h
        var job = await JobTestSteps.WaitForAsync(async () => (await harness.JobsAsync(new JobFilter { Type = JobType.Validation })).SingleOrDefault(),
            j => j is { State: JobState.Queued, Reason: JobReasons.HostLimit }, TimeSpan.FromSeconds(30), "re-check queued behind the validation lock");
        Assert.Equal((old.Id, "checksums", harness.HostName), (job!.BackupId, job.Levels, job.Host));
        Assert.Equal(0, await scheduler.QueueDueAsync(CancellationToken.None)); // queued once: it is still open
        Assert.Single(await harness.JobsAsync(new JobFilter { Type = JobType.Validation }));

        await runtime.CancelAsync(holder); // the lock frees; the re-check runs (and ends) on its own
        await JobTestSteps.WaitForAsync(async () => (await harness.JobsAsync(new JobFilter { Id = job.Id })).Single(),
            j => j.State is not JobState.Queued, TimeSpan.FromSeconds(60), "re-check started after the lock freed");
    }

    private static BackupRecord Backup(string host, DateTimeOffset completed) => new()
    {
        Id = Guid.NewGuid(), VmName = "vm", HostName = host, RepositoryName = "r1", State = BackupState.BackedUp,
        CreatedAt = completed, CompletedAt = completed,
    };
}
