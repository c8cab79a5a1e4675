using System.Xml.Linq;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Testing.Guests;

/// <summary>Removes test domains (<c>bwf-test-*</c>) left behind by test processes that were killed.</summary>
public static class StaleGuests
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _done;

    /// <summary>
    /// Destroys and undefines every <c>bwf-test-*</c> domain whose creating process (pid plus start time
    /// in its metadata) no longer runs, and deletes its directory when the fixture had created it.
    /// Runs once per test process; domains of live test processes are left alone.
    /// </summary>
    public static async Task RemoveAsync(Virsh virsh)
    {
        await Once.WaitAsync();
        try
        {
            if (!_done)
            {
                await RemoveNowAsync(virsh);
                _done = true;
            }
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>Like <see cref="RemoveAsync"/>, but runs every time it is called. Returns the names removed.</summary>
    public static async Task<IReadOnlyList<string>> RemoveNowAsync(Virsh virsh)
    {
        var removed = new List<string>();
        foreach (var name in await virsh.ListDomainNamesAsync())
        {
            if (!name.StartsWith(TestGuest.NamePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var owner = await OwnerAsync(virsh, name);
            if (owner is { } o && TestGuest.ProcessStartTicks(o.Pid) is { } ticks && ticks == o.Start)
            {
                continue;
            }

            await RemoveDomainAsync(virsh, name);
            if (owner?.Directory is { Length: > 0 } directory && directory.StartsWith("/var/tmp/bwf-guests/", StringComparison.Ordinal)
                && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            removed.Add(name);
        }

        return removed;
    }

    /// <summary>Destroys (if running) and undefines a domain; a domain already gone is fine.</summary>
    public static async Task RemoveDomainAsync(Virsh virsh, string name)
    {
        var gone = new HostCommandOptions { SuccessExitCodes = [0, 1] };
        await virsh.RunAsync(["destroy", name], gone);
        await virsh.RunAsync(["undefine", name, "--snapshots-metadata", "--checkpoints-metadata"], gone);
    }

    private static async Task<(int Pid, string Start, string Directory)?> OwnerAsync(Virsh virsh, string name)
    {
        try
        {
            var xml = XDocument.Parse(await virsh.DumpXmlAsync(name, inactive: true));
            var owner = xml.Root?.Element("metadata")?.Element(TestGuest.OwnerNamespace + "owner");
            if (owner is null || !int.TryParse(owner.Attribute("pid")?.Value, out var pid))
            {
                return null;
            }

            return (pid, owner.Attribute("start")?.Value ?? "", owner.Attribute("directory")?.Value ?? "");
        }
        catch (HostCommandException)
        {
            return null;
        }
    }
}
