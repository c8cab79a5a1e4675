using System.Xml.Linq;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Kvm.Tests.Guests;

[Collection(GuestCollection.Name)]
public sealed class StaleGuestsTests
{
    private readonly Virsh _virsh = new(new LocalHostShell());

    [Fact]
    public async Task RemoveNowAsync_RemovesDomainsOfDeadProcesses_KeepsOurs()
    {
        var dead = Name("dead");
        var ours = Name("ours");
        var deadOwner = TestGuest.OwnerMetadata();
        deadOwner.SetAttributeValue("pid", "999999");
        deadOwner.SetAttributeValue("start", "1");
        await _virsh.DefineAsync(MinimalDomain(dead, deadOwner));
        await _virsh.DefineAsync(MinimalDomain(ours, TestGuest.OwnerMetadata()));
        try
        {
            var removed = await StaleGuests.RemoveNowAsync(_virsh);

            Assert.Contains(dead, removed);
            Assert.DoesNotContain(ours, removed);
            Assert.False(await _virsh.ExistsAsync(dead));
            Assert.True(await _virsh.ExistsAsync(ours));
        }
        finally
        {
            await StaleGuests.RemoveDomainAsync(_virsh, dead);
            await StaleGuests.RemoveDomainAsync(_virsh, ours);
        }
    }

    [Fact]
    public async Task AgentOfADomainNotRunning_IsUnavailable()
    {
        var name = Name("noagent");
        await _virsh.DefineAsync(MinimalDomain(name, TestGuest.OwnerMetadata()));
        try
        {
            var agent = new GuestAgent(_virsh, name);

            var error = await Assert.ThrowsAsync<GuestAgentUnavailableException>(() => agent.PingAsync());

            Assert.False(await agent.TryPingAsync());
            Assert.Equal(name, error.Domain);
            Assert.Contains("not running", error.Message);
            Assert.IsType<HostCommandException>(error.InnerException);
        }
        finally
        {
            await StaleGuests.RemoveDomainAsync(_virsh, name);
        }
    }

    private static string Name(string what) => $"{TestGuest.NamePrefix}{what}-{Guid.NewGuid():N}"[..32];

    private static string MinimalDomain(string name, XElement owner) =>
        new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("metadata", owner),
            new XElement("memory", new XAttribute("unit", "MiB"), 64),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), "hvm"))).ToString();
}
