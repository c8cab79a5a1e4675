using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Kvm.Images;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Compression;

/// <summary>
/// A real guest's backups compressed by jobs: the job waits (queued, "host limit") while the per-host
/// limit is 0 and runs once it is raised (the engine reads the limit again while it waits); the compressed image is zstd, smaller,
/// equal to the original and checksummed; an engine stopped mid-compression leaves the original
/// intact and finishes the job after it starts again.
/// </summary>
public sealed class CompressionJobTests
{
    private static readonly QemuImg QemuImg = new(new LocalHostShell());

    [Fact]
    public async Task CompressionJob_WaitsForItsSlot_SurvivesAnEngineStop_ReplacesTheImageOnlyWhenEqual()
    {
        await using var guest = await TestGuest.CreateAsync("compress");
        var nodeId = "compress-" + Guid.NewGuid().ToString("N")[..6];
        var harness = await BackupHarness.StartAsync(nodeId: nodeId);
        var directory = harness.Directory;
        try
        {
            await harness.SetAsync(SettingCatalog.CompressionMaxConcurrentPerHost, "0");
            await harness.ConfigureOfferingAsync(o => o.Compress = true);
            await harness.AssignAsync(guest.Name);
            // Compressible bulk: text repeats well, so the compressed image must be clearly smaller.
            await guest.Agent.ShellAsync("i=0; while [ $i -lt 6000 ]; do echo \"line $i of a compressible file\"; i=$((i+1)); done > /mnt/vda/text && cat /mnt/vda/text /mnt/vda/text /mnt/vda/text /mnt/vda/text > /mnt/vda/text4 && sync");
            var run = await harness.RunAsync("backup-with-retry", new JsonObject { ["host"] = harness.HostName, ["vm"] = guest.Name });
            Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
            var backupId = BackupHarness.BackupIdOf(run);
            var stored = await harness.BackupAsync(backupId);
            var image = stored.Volumes[0].ImagePath;
            var reference = Path.Combine(directory, "reference.qcow2");
            File.Copy(image, reference);

            // Limit 0: the job stays queued behind the host limit, as the job list says.
            var job = await JobTestSteps.WaitForAsync(async () => (await harness.JobsAsync(new JobFilter { BackupId = backupId })).SingleOrDefault(),
                j => j is { State: JobState.Queued, Reason: JobReasons.HostLimit }, TimeSpan.FromMinutes(1), "job queued behind the host limit");
            Assert.Single(await harness.JobsAsync(new JobFilter { State = JobState.Queued, Host = harness.HostName, Type = JobType.Compression }));

            // A slow compression (rate limit), then the slot opens; stop the engine while it writes.
            await harness.SetAsync(SettingCatalog.CompressionRateLimitMBps, "0.5");
            await harness.SetAsync(SettingCatalog.CompressionMaxConcurrentPerHost, "1");
            var writing = image + ".compressing";
            await JobTestSteps.WaitForAsync(() => Task.FromResult(File.Exists(writing) && new FileInfo(writing).Length > 0), x => x, TimeSpan.FromMinutes(2), "compression writing");
            Assert.Single(await harness.JobsAsync(new JobFilter { State = JobState.Running }));
            harness.KeepDirectory = true;
            await harness.DisposeAsync();
            Assert.Equal(stored.Volumes[0].Checksum, ReferenceChecksum.Like(stored.Volumes[0].Checksum!, image));
            Assert.Equal(ImageComparison.Identical, await QemuImg.CompareAsync(reference, image));

            harness = await BackupHarness.StartAsync(directory: directory, nodeId: nodeId, register: false);
            harness.KeepDirectory = false;
            await harness.SetAsync(SettingCatalog.CompressionRateLimitMBps, "0");
            job = await JobTestSteps.WaitForAsync(async () => (await harness.JobsAsync(new JobFilter { Id = job!.Id })).Single(),
                j => j.State is JobState.Done or JobState.Failed, TimeSpan.FromMinutes(3), "job end");
            Assert.True(job.State == JobState.Done, $"{job.State} after {job.Attempts} attempt(s): {job.Reason}");

            var after = await harness.BackupAsync(backupId);
            Assert.True(after.Compressed);
            Assert.True(after.StoredSize < stored.StoredSize / 2, $"{stored.StoredSize} → {after.StoredSize}");
            Assert.Equal(after.Volumes[0].Checksum, ReferenceChecksum.Like(after.Volumes[0].Checksum!, image));
            Assert.False(File.Exists(writing));
            Assert.Equal("zstd", (await QemuImg.InfoAsync(image)).CompressionType);
            Assert.Equal(ImageComparison.Identical, await QemuImg.CompareAsync(reference, image));
        }
        finally
        {
            await harness.DisposeAsync();
        }
    }
}
