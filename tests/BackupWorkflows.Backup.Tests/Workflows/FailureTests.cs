using System.Diagnostics;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Guests;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>
/// Failures injected at each step: afterwards the VM runs, thawed, on base + at most one delta,
/// and no BackedUp backup lacks its files.
/// </summary>
public sealed class FailureTests
{
    [Fact]
    public async Task RepositoryNotWritable_IncrementalFails_SnapshotUndone_NextIncrementalWorks()
    {
        await using var guest = await TestGuest.CreateAsync("repofail");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        var full = await harness.BackupOkAsync(guest.Name);
        var chainBefore = await ChainAssert.ChainOfAsync(guest);

        // The VM's folder in the repository becomes a plain file: nothing can be written under it.
        var vmDir = Path.GetDirectoryName(Path.GetDirectoryName(full.Volumes[0].ImagePath))!;
        var aside = vmDir + ".aside";
        Directory.Move(vmDir, aside);
        await File.WriteAllTextAsync(vmDir, "in the way");
        await guest.WriteFileAsync("/mnt/vda/second.txt", "second");
        var failed = await harness.BackupAsync(guest.Name);
        Assert.Equal(WorkflowStatus.Faulted, failed.Status);

        var backups = await harness.BackupsAsync(guest.Name);
        Assert.Equal([BackupState.BackedUp, BackupState.Error], backups.Select(b => b.State));
        Assert.Contains("mkdir", backups[1].Error);
        Assert.Contains(backups[1].Error!, failed.Fault);
        Assert.Equal(chainBefore.Select(i => i.Filename), (await ChainAssert.ChainOfAsync(guest)).Select(i => i.Filename));

        File.Delete(vmDir);
        Directory.Move(aside, vmDir);
        await ChainAssert.HealthyAsync(guest, backups);
        var next = await harness.BackupOkAsync(guest.Name);
        Assert.Equal(BackupType.Incremental, next.Type);
        Assert.Equal(full.Id, next.ParentId);
        var restore = await harness.RestoreAsync(next.Id);
        Assert.True(restore.Status == WorkflowStatus.Finished, await harness.DescribeAsync(restore));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        Assert.Equal("second", await guest.ReadFileAsync("/mnt/vda/second.txt"));
    }

    [Fact]
    public async Task RestoreCannotWriteItsCopy_VmRunsAgainOnItsUnchangedDisks()
    {
        await using var guest = await TestGuest.CreateAsync("restorefail");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        var full = await harness.BackupOkAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/after.txt", "written after the backup");
        await guest.Agent.ShellAsync("sync");
        var chainBefore = (await ChainAssert.ChainOfAsync(guest)).Select(i => i.Filename).ToList();

        // A folder where the restore's copy would go: qemu-img cannot create it.
        var blocker = full.Volumes[0].PrimaryBasePath + ".partial";
        Directory.CreateDirectory(Path.Combine(blocker, "in the way"));
        var restore = await harness.RestoreAsync(full.Id);
        Directory.Delete(blocker, recursive: true);

        Assert.Equal(WorkflowStatus.Faulted, restore.Status);
        var journal = await harness.Services.GetRequiredService<IWorkflowInstanceQueries>().GetJournalAsync(restore.Id);
        Assert.True(journal.Any(j => j.Lines.Any(m => m.Contains("the VM runs again on its unchanged disks"))), await harness.DescribeAsync(restore));
        Assert.Equal(chainBefore, (await ChainAssert.ChainOfAsync(guest)).Select(i => i.Filename));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        Assert.Equal("written after the backup", await guest.ReadFileAsync("/mnt/vda/after.txt"));
        await ChainAssert.HealthyAsync(guest, await harness.BackupsAsync(guest.Name));
    }

    [Fact]
    public async Task RestoreResumedAfterItStoppedTheVm_StartsTheVmAgain()
    {
        await using var guest = await TestGuest.CreateAsync("restoreresume");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/kept.txt", "kept");
        var full = await harness.BackupOkAsync(guest.Name);

        // What a resumed attempt sees: the earlier one stopped the VM, and the plan (completed, so
        // not run again) recorded that it was running.
        await guest.Virsh.DestroyAsync(guest.Name);
        await harness.Services.GetRequiredService<IWorkflowDefinitionStore>().ImportAsync($$"""
            {
              "id": "restore-vm-only", "name": "restore-vm-only",
              "activities": [
                { "id": "start", "type": "Flow.Start", "position": { "x": 0, "y": 0 } },
                { "id": "restoreVm", "type": "Backup.RestoreVm", "position": { "x": 0, "y": 100 },
                  "inputs": { "backupId": "{{full.Id}}", "wasRunning": true } },
                { "id": "finish", "type": "Flow.Finish", "position": { "x": 0, "y": 200 } }
              ],
              "connections": [ { "source": "start", "target": "restoreVm" }, { "source": "restoreVm", "target": "finish" } ]
            }
            """, publish: true);
        var run = await harness.RunAsync("restore-vm-only", []);

        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        Assert.Equal(Kvm.Domains.DomainState.Running, await guest.Virsh.GetStateAsync(guest.Name));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        Assert.Equal("kept", await guest.ReadFileAsync("/mnt/vda/kept.txt"));
    }

    [Fact]
    public async Task StoreCutShortAfterMovingTheStagedCopy_ResumesAndCompletes()
    {
        await using var guest = await TestGuest.CreateAsync("storeresume");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/kept.txt", "kept");
        var store = harness.Services.GetRequiredService<IWorkflowDefinitionStore>();
        // The backup workflow cut in two: up to the staged copy, and from the store on.
        await store.ImportAsync("""
            {
              "id": "until-stage", "name": "until-stage",
              "inputs": [ { "name": "host", "type": "string" }, { "name": "vm", "type": "string" } ],
              "activities": [
                { "id": "start", "type": "Flow.Start", "position": { "x": 0, "y": 0 } },
                { "id": "prepare", "type": "Backup.PrepareBackup", "position": { "x": 0, "y": 100 }, "inputs": { "host": "{{ input.host }}", "vm": "{{ input.vm }}" } },
                { "id": "quiesce", "type": "Backup.Quiesce", "position": { "x": 0, "y": 200 }, "inputs": { "backupId": "{{ steps.prepare.backupId }}" } },
                { "id": "snapshot", "type": "Backup.TakeDiskSnapshot", "position": { "x": 0, "y": 300 }, "inputs": { "backupId": "{{ steps.prepare.backupId }}", "mode": "{{ steps.quiesce.mode }}" } },
                { "id": "thaw", "type": "Backup.Thaw", "position": { "x": 0, "y": 400 }, "inputs": { "backupId": "{{ steps.prepare.backupId }}" } },
                { "id": "stage", "type": "Backup.StageFull", "position": { "x": 0, "y": 500 }, "inputs": { "backupId": "{{ steps.prepare.backupId }}" } },
                { "id": "finish", "type": "Flow.Finish", "position": { "x": 0, "y": 600 }, "inputs": { "output": { "backupId": "{{ steps.prepare.backupId }}" } } }
              ],
              "connections": [ { "source": "start", "target": "prepare" }, { "source": "prepare", "target": "quiesce" },
                { "source": "quiesce", "target": "snapshot" }, { "source": "snapshot", "target": "thaw" },
                { "source": "thaw", "target": "stage" }, { "source": "stage", "target": "finish" } ]
            }
            """, publish: true);
        await store.ImportAsync("""
            {
              "id": "from-store", "name": "from-store",
              "inputs": [ { "name": "backupId", "type": "string" } ],
              "activities": [
                { "id": "start", "type": "Flow.Start", "position": { "x": 0, "y": 0 } },
                { "id": "store", "type": "Backup.StoreInRepository", "position": { "x": 0, "y": 100 }, "inputs": { "backupId": "{{ input.backupId }}" } },
                { "id": "merge", "type": "Backup.MergeDelta", "position": { "x": 0, "y": 200 }, "inputs": { "backupId": "{{ input.backupId }}" } },
                { "id": "complete", "type": "Backup.CompleteBackup", "position": { "x": 0, "y": 300 }, "inputs": { "backupId": "{{ input.backupId }}" } },
                { "id": "finish", "type": "Flow.Finish", "position": { "x": 0, "y": 400 } }
              ],
              "connections": [ { "source": "start", "target": "store" }, { "source": "store", "target": "merge" },
                { "source": "merge", "target": "complete" }, { "source": "complete", "target": "finish" } ]
            }
            """, publish: true);

        var staged = await harness.RunAsync("until-stage", new() { ["host"] = harness.HostName, ["vm"] = guest.Name });
        Assert.True(staged.Status == WorkflowStatus.Finished, await harness.DescribeAsync(staged));
        var backup = Assert.Single(await harness.BackupsAsync(guest.Name));
        // What a store attempt cut short after its first step leaves: the staged copy moved to the repository's partial name.
        var image = backup.Volumes[0].ImagePath;
        Directory.CreateDirectory(Path.GetDirectoryName(image)!);
        File.Move(Assert.Single(Directory.GetFiles(harness.StagingPath)), image + ".partial");

        var stored = await harness.RunAsync("from-store", new() { ["backupId"] = backup.Id.ToString() });

        Assert.True(stored.Status == WorkflowStatus.Finished, await harness.DescribeAsync(stored));
        Assert.Contains("resuming with the copy an earlier attempt moved", await harness.DescribeAsync(stored));
        var done = Assert.Single(await harness.BackupsAsync(guest.Name));
        Assert.Equal(BackupState.BackedUp, done.State);
        Assert.False(File.Exists(image + ".partial"));
        await ChainAssert.HealthyAsync(guest, [done]);
    }

    [Fact]
    public async Task StagingTooSmall_FullFailsWithClearError_NothingRegistered()
    {
        await using var guest = await TestGuest.CreateAsync("staging");
        await using var harness = await BackupHarness.StartAsync(stagingCapacity: 64 * 1024);
        await harness.AssignAsync(guest.Name);
        var chainBefore = await ChainAssert.ChainOfAsync(guest);
        var run = await harness.BackupAsync(guest.Name);
        Assert.Equal(WorkflowStatus.Faulted, run.Status);
        var incidents = await harness.Services.GetRequiredService<IWorkflowInstanceQueries>().GetIncidentsAsync(run.Id);
        Assert.Contains(incidents, i => i.ActivityId == "stage" && i.Message.Contains("cannot hold this full backup"));
        var backup = Assert.Single(await harness.BackupsAsync(guest.Name));
        Assert.Equal(BackupState.Error, backup.State);
        Assert.Contains("cannot hold", backup.Error);
        Assert.Equal(chainBefore.Select(i => i.Filename), (await ChainAssert.ChainOfAsync(guest)).Select(i => i.Filename));
        Assert.Empty(Directory.Exists(harness.StagingPath) ? Directory.GetFiles(harness.StagingPath) : []);
        await ChainAssert.HealthyAsync(guest, [backup]);
    }

    [Fact]
    public async Task EngineKilledMidBackup_ResumesTheInterruptedStepAndFinishes()
    {
        await using var guest = await TestGuest.CreateAsync("crash", new TestGuestOptions { RootDiskMiB = 256 });
        await guest.Agent.ShellAsync("dd if=/dev/urandom of=/mnt/vda/bulk bs=1M count=160 2>/dev/null && sync", timeout: TimeSpan.FromMinutes(3));
        var sha = await guest.Sha256Async("/mnt/vda/bulk");
        var dir = Path.Combine("/var/tmp/bwf-backup-tests", "crash-" + Guid.NewGuid().ToString("N")[..8]);
        await using (var setup = await BackupHarness.StartAsync(directory: dir))
        {
            setup.KeepDirectory = true;
            await setup.AssignAsync(guest.Name);
        }

        string killedAt;
        using (var first = StartChild(dir, guest.Name))
        {
            // Killed as soon as the stage starts: mostly the stage is cut short, but on a loaded machine
            // this reader can lag behind the child, so the kill may land in a later step. Either way the
            // step in flight must be journaled Interrupted and finish on resume.
            string? line;
            while ((line = await first.StandardOutput.ReadLineAsync()) is not null && line != "started stage") { }
            Assert.Equal("started stage", line);
            first.Kill();
            await first.WaitForExitAsync();
            killedAt = await first.StandardOutput.ReadToEndAsync();
        }
        Assert.DoesNotContain("ended", killedAt);
        string resumed;
        using (var second = StartChild(dir, guest.Name))
        {
            resumed = await second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            resumed += await second.StandardError.ReadToEndAsync();
        }

        await using var harness = await BackupHarness.StartAsync(directory: dir, register: false);
        var queries = harness.Services.GetRequiredService<IWorkflowInstanceQueries>();
        var run = Assert.Single((await queries.ListAsync()).Items);
        Assert.True(run.Status == WorkflowStatus.Finished, resumed + await harness.DescribeAsync(run));
        var journal = await queries.GetJournalAsync(run.Id);
        Assert.Equal(1, journal.Count(j => j.ActivityId == "prepare" && j.Status == ExecutionStatus.Completed));
        var interrupted = journal.Where(j => j.Status == ExecutionStatus.Interrupted).Select(j => j.ActivityId).ToList();
        Assert.True(interrupted.Count > 0, "the kill cut no step short:\n" + await harness.DescribeAsync(run));
        foreach (var id in interrupted)
            Assert.Contains(journal, j => j.ActivityId == id && j.Status == ExecutionStatus.Completed && j.IsResume);
        var backup = Assert.Single(await harness.BackupsAsync(guest.Name));
        Assert.Equal(BackupState.BackedUp, backup.State);
        await ChainAssert.HealthyAsync(guest, [backup]);

        await guest.WriteFileAsync("/mnt/vda/after.txt", "after");
        var restore = await harness.RestoreAsync(backup.Id);
        Assert.True(restore.Status == WorkflowStatus.Finished, await harness.DescribeAsync(restore));
        await guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(sha, await guest.Sha256Async("/mnt/vda/bulk"));
        Assert.DoesNotContain("/mnt/vda/after.txt", await guest.ListFilesAsync("/mnt/vda"));
    }

    private static Process StartChild(string dir, string vm)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(Program).Assembly.Location, "backup-host", dir, vm, "crash-node" })
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
