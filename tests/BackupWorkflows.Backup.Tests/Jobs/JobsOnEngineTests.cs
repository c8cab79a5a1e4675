using System.Diagnostics;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Backup.Tests.Compression;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Jobs;

/// <summary>
/// Compression jobs queued, limited and retried by the engine, on a real engine (SQLite) with real
/// qemu-img images in a repository: the job list shows why each one waits, and how it ended.
/// </summary>
public sealed class JobsOnEngineTests
{
    private static readonly QemuImg QemuImg = new(new LocalHostShell());

    [Fact]
    public async Task Compressions_WaitWhileDisabled_QueueBehindTheHostLimit_AndStartWhenASlotFrees()
    {
        await using var harness = await BackupHarness.StartAsync();
        await harness.SetAsync(SettingCatalog.JobsPollIntervalSeconds, "0.2");
        await harness.SetAsync(SettingCatalog.CompressionEnabled, "false");
        await harness.SetAsync(SettingCatalog.CompressionMaxConcurrentPerHost, "1");
        await harness.SetAsync(SettingCatalog.CompressionRateLimitMBps, "1"); // the first one takes seconds
        var first = await StoredBackupAsync(harness, "vm-a", megabytes: 6);
        var second = await StoredBackupAsync(harness, "vm-b", megabytes: 6);
        var queue = harness.Services.CreateScope().ServiceProvider.GetRequiredService<JobQueue>();
        var a = await queue.EnqueueAsync(first.Id, harness.HostName, JobType.Compression);
        Assert.Equal(a, await queue.EnqueueAsync(first.Id, harness.HostName, JobType.Compression)); // queued once
        var b = await queue.EnqueueAsync(second.Id, harness.HostName, JobType.Compression);

        var disabled = await WaitForJobsAsync(harness, jobs => jobs.Count == 2 && jobs.All(j => j.Reason == JobReasons.Disabled), "both queued 'disabled'");
        Assert.All(disabled, j => Assert.Equal((JobState.Queued, harness.HostName), (j.State, j.Host)));

        await harness.SetAsync(SettingCatalog.CompressionEnabled, "true");
        var oneRuns = await WaitForJobsAsync(harness, jobs => jobs.Count(j => j.State == JobState.Running) == 1
            && jobs.Count(j => j.State == JobState.Queued && j.Reason == JobReasons.HostLimit) == 1, "one running, one behind the host limit");
        var running = oneRuns.Single(j => j.State == JobState.Running);
        Assert.Equal(1, running.Attempts);
        await WaitForJobsAsync(harness, jobs => jobs.Single(j => j.Id == running.Id).Progress is { Total: > 0 }, "progress of the running job");

        // The slot frees when the first ends; the second then starts on its own.
        var done = await WaitForJobsAsync(harness, jobs => jobs.All(j => j.State is JobState.Done or JobState.Failed), "both ended", TimeSpan.FromMinutes(3));
        Assert.All(done, j => Assert.True(j.State == JobState.Done, $"{j.Id}: {j.State} {j.Reason}"));
        Assert.Equal(new[] { a, b }.Order(), done.Select(j => j.Id).Order());
        foreach (var stored in new[] { first, second })
        {
            var after = await harness.BackupAsync(stored.Id);
            Assert.True(after.Compressed);
            Assert.Equal(ImageComparison.Identical, await QemuImg.CompareAsync(stored.Volumes[0].ImagePath + ".reference", after.Volumes[0].ImagePath));
        }
    }

    [Fact]
    public async Task FailedCompression_IsRetriedByTheEngine_ThenShowsFailedAfterNAttemptsWithTheReason()
    {
        await using var harness = await BackupHarness.StartAsync();
        await harness.SetAsync(SettingCatalog.CompressionMaxRetries, "1");
        await harness.SetAsync(SettingCatalog.CompressionRetryIntervalMinutes, "0.05"); // 3 s, a durable timer
        var broken = await StoredBackupAsync(harness, "vm-c", megabytes: 1);
        await File.WriteAllTextAsync(broken.Volumes[0].ImagePath, "this is not a qcow2 image"); // qemu-img itself refuses it
        var queue = harness.Services.CreateScope().ServiceProvider.GetRequiredService<JobQueue>();
        var id = await queue.EnqueueAsync(broken.Id, harness.HostName, JobType.Compression);

        var waiting = (await WaitForJobsAsync(harness, jobs => jobs.Single().RetryAt is not null, "waiting to retry")).Single();
        Assert.Equal((JobState.Queued, 1), (waiting.State, waiting.Attempts));
        Assert.StartsWith("retry at ", waiting.Reason);
        Assert.False(string.IsNullOrEmpty(waiting.Error));

        var failed = (await WaitForJobsAsync(harness, jobs => jobs.Single().State == JobState.Failed, "failed", TimeSpan.FromMinutes(1))).Single();
        Assert.Equal((id, 2), (failed.Id, failed.Attempts));
        Assert.StartsWith("failed after 2 attempt(s): ", failed.Reason);
        Assert.Equal(waiting.Error, failed.Error); // the same cause both times: qemu-img's own message
        Assert.False((await harness.BackupAsync(broken.Id)).Compressed);
    }

    /// <summary>A BackedUp backup of an unassigned-then-assigned VM with one real qcow2 volume full of data, and a copy to compare with.</summary>
    private static async Task<BackupRecord> StoredBackupAsync(BackupHarness harness, string vm, int megabytes)
    {
        await harness.AssignAsync(vm);
        var id = Guid.NewGuid();
        var dir = Path.Combine(harness.RepositoryPath, vm, id.ToString("N"));
        Directory.CreateDirectory(dir);
        var image = Path.Combine(dir, "vda.qcow2");
        await Run("qemu-img", "create", "-q", "-f", "qcow2", image, $"{megabytes * 2}M");
        // Compressible but not trivial: a repeating pattern written by qemu-io.
        await Run("qemu-io", "-f", "qcow2", "-c", $"write -P 0x5a 0 {megabytes}M", image);
        File.Copy(image, image + ".reference");
        var size = new FileInfo(image).Length;
        var backup = new BackupRecord
        {
            Id = id, VmName = vm, HostName = harness.HostName, RepositoryName = "r1", Type = BackupType.Full, State = BackupState.BackedUp,
            StoredSize = size, VirtualSize = megabytes * 2L << 20, CreatedAt = DateTimeOffset.UtcNow, CompletedAt = DateTimeOffset.UtcNow,
            Volumes = [new BackupVolume { Id = Guid.NewGuid(), BackupId = id, Target = "vda", PrimaryBasePath = "/dev/null", ImagePath = image,
                VirtualSize = megabytes * 2L << 20, StoredSize = size }],
        };
        await harness.WithDbAsync(async db => { db.Backups.Add(backup); await db.SaveChangesAsync(); });
        return backup;
    }

    private static async Task<IReadOnlyList<Job>> WaitForJobsAsync(BackupHarness harness, Func<IReadOnlyList<Job>, bool> condition, string what, TimeSpan? limit = null) =>
        await JobTestSteps.WaitForAsync(() => harness.JobsAsync(new JobFilter()), condition, limit ?? TimeSpan.FromSeconds(60), what);

    private static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {error}");
    }
}
