using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Ssh;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>The main scenarios through <c>ssh://</c> to a private sshd on 127.0.0.1.</summary>
public sealed class SshHostTests(SshdFixture sshd) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task FullThenTwoIncrementals_EachPointRestoresExactlyItsFiles_Ssh()
    {
        await using var guest = await TestGuest.CreateAsync("sshchain");
        await using var harness = await BackupHarness.StartAsync(sshd.HostUri, sshd.IdentityFile, sshd.KnownHostsFile);
        await BackupRestoreChainTests.RunChainScenarioAsync(harness, guest);
    }

    [Fact]
    public async Task SshConnectionKilledMidCopy_BackupRetriesOrCleansUp_VmStaysHealthy()
    {
        await using var guest = await TestGuest.CreateAsync("sshkill", new TestGuestOptions { RootDiskMiB = 256 });
        await guest.Agent.ShellAsync("dd if=/dev/urandom of=/mnt/vda/bulk bs=1M count=160 2>/dev/null && sync", timeout: TimeSpan.FromMinutes(3));
        await using var harness = await BackupHarness.StartAsync(sshd.HostUri, sshd.IdentityFile, sshd.KnownHostsFile);
        await harness.AssignAsync(guest.Name);

        var killed = 0;
        var trace = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var subscription = harness.Services.GetRequiredService<IWorkflowEvents>().Subscribe(e =>
        {
            if (e.Kind == WorkflowEventKind.ActivityStarted && e.ActivityId == "stage" && Volatile.Read(ref killed) == 0)
                _ = Task.Run(async () =>
                {
                    // Cut the connections while the copy runs (retrying briefly if none is open yet): the sshd
                    // processes serving them get SIGTERM (see SshdFixture.KillConnections), so the orchestrator's
                    // one SSH.NET connection drops mid-command.
                    for (var i = 0; i < 20 && Volatile.Read(ref killed) == 0; i++)
                    {
                        await Task.Delay(150);
                        var n = sshd.KillConnections();
                        trace.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} killed {n}");
                        Interlocked.Add(ref killed, n);
                    }
                });
        });
        var run = await harness.BackupAsync(guest.Name);
        Assert.True(killed > 0, "no ssh connection was open to kill; sshd log:\n" + string.Join("\n", sshd.Log.TakeLast(20)) + "\ntrace:\n" + string.Join("\n", trace) + "\n" + await harness.DescribeAsync(run));
        var backups = await harness.BackupsAsync(guest.Name);
        var backup = Assert.Single(backups);
        // Either the retry of the copy succeeded, or the attempt was cleaned up: never half a backup.
        Assert.True(run.Status == WorkflowStatus.Finished ? backup.State == BackupState.BackedUp : backup.State == BackupState.Error,
            await harness.DescribeAsync(run));
        await ChainAssert.HealthyAsync(guest, backups);
        Assert.Empty(Directory.GetFiles(harness.StagingPath));
    }
}
