using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Backup.Tests.Workflows;

/// <summary>One guest per class for the bitmap strategy's scenarios (each test starts its own engine and database;
/// whatever an earlier test left on the guest, a first backup is full and retires stale checkpoints).</summary>
public sealed class BitmapGuestFixture : TestGuestFixture
{
    /// <inheritdoc />
    protected override string Name => "bitmap";

    /// <inheritdoc />
    protected override TestGuestOptions Options => new();

    /// <summary>Starts the guest if an earlier test left it stopped, and waits for its agent.</summary>
    public async Task EnsureRunningAsync()
    {
        if (await Guest.Virsh.GetStateAsync(Guest.Name) != DomainState.Running) await Guest.StartAsync(TimeSpan.FromSeconds(120));
        await Guest.WaitForAgentAsync(TimeSpan.FromSeconds(120));
    }
}
