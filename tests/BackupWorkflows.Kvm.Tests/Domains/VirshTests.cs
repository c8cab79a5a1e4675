using System.Xml.Linq;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing.Guests;
using BackupWorkflows.Testing.Ssh;

namespace BackupWorkflows.Kvm.Tests.Domains;

[Collection(GuestCollection.Name)]
public sealed class VirshTests(KvmGuestFixture fixture, SshdFixture sshd)
{
    public static TheoryData<string> Hosts => new() { "local", "ssh" };

    private TestGuest Guest => fixture.Guest;

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task ListDomainsAsync_ShowsTheRunningGuestWithItsUuid(string host)
    {
        await using var shell = Shell(host);
        var virsh = new Virsh(shell);

        var domains = await virsh.ListDomainsAsync();

        var guest = Assert.Single(domains, d => d.Name == Guest.Name);
        Assert.Equal(DomainState.Running, guest.State);
        Assert.Equal(await virsh.GetUuidAsync(Guest.Name), guest.Uuid);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", guest.Uuid);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task GetDefinitionAsync_DescribesTheGuestsDisks(string host)
    {
        await using var shell = Shell(host);

        var definition = await new Virsh(shell).GetDefinitionAsync(Guest.Name);
        var inactive = await new Virsh(shell).GetDefinitionAsync(Guest.Name, inactive: true);

        Assert.Equal((Guest.Name, "qemu"), (definition.Name, definition.Type));
        Assert.Equal(["vda", "vdb"], definition.Disks.Select(d => d.Target));
        Assert.All(definition.Disks, d => Assert.Equal(("virtio", "disk", "qcow2", false), (d.Bus, d.Device, d.DriverFormat, d.ReadOnly)));
        Assert.Equal(Guest.RootDiskPath, inactive.Disk("vda").Source);
        Assert.Equal(Guest.DataDiskPath, inactive.Disk("vdb").Source);
        Assert.Empty(definition.Interfaces);
        Assert.Equal(256 * 1024L, definition.MemoryKiB);
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task DefineAsync_ThenUndefine_ManagesAPersistentDomain(string host)
    {
        await using var shell = Shell(host);
        var virsh = new Virsh(shell);
        var name = $"{TestGuest.NamePrefix}define-{Guid.NewGuid():N}"[..30];
        var xml = new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("metadata", TestGuest.OwnerMetadata()),
            new XElement("description", "a 'quoted' & <escaped> description"),
            new XElement("memory", new XAttribute("unit", "MiB"), 64),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), "hvm")),
            new XElement("devices",
                new XElement("interface", new XAttribute("type", "network"),
                    new XElement("mac", new XAttribute("address", "52:54:00:12:34:56")),
                    new XElement("source", new XAttribute("network", "default")),
                    new XElement("model", new XAttribute("type", "virtio"))))).ToString();

        try
        {
            Assert.Equal(name, await virsh.DefineAsync(xml));
            Assert.True(await virsh.ExistsAsync(name));
            Assert.Equal(DomainState.ShutOff, await virsh.GetStateAsync(name));
            var definition = await virsh.GetDefinitionAsync(name, inactive: true);
            Assert.Equal("52:54:00:12:34:56", Assert.Single(definition.Interfaces).Mac);
            Assert.Equal("a 'quoted' & <escaped> description", definition.Document.Root!.Element("description")!.Value);
        }
        finally
        {
            await virsh.UndefineAsync(name);
        }

        Assert.False(await virsh.ExistsAsync(name));
    }

    [Fact]
    public async Task GetStateAsync_MissingDomain_ThrowsNamingHostAndCommand()
    {
        var error = await Assert.ThrowsAsync<HostCommandException>(() => Guest.Virsh.GetStateAsync("bwf-no-such-domain"));

        Assert.Contains("'virsh' '-c' 'qemu:///system' 'domstate' 'bwf-no-such-domain'", error.Message);
        Assert.Equal("local", error.Host);
        Assert.Contains("failed to get domain", error.StandardErrorTail);
    }

    [Fact]
    public async Task ScreenshotAsync_WritesAnImageFile()
    {
        var file = Path.Combine(fixture.Directory, $"{Guest.Name}-screen");

        await Guest.Virsh.ScreenshotAsync(Guest.Name, file);

        var header = File.ReadAllBytes(file).Take(4).ToArray();
        var isPpm = header[0] == (byte)'P' && header[1] == (byte)'6';
        var isPng = header.SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        Assert.True(isPpm || isPng, $"header {Convert.ToHexString(header)}");
        Assert.True(new FileInfo(file).Length > 1000);
    }

    [Fact]
    public async Task QemuMonitorCommandAsync_ReturnsQmpJson()
    {
        using var reply = await Guest.Virsh.QemuMonitorCommandAsync(Guest.Name, """{"execute":"query-status"}""");

        Assert.Equal("running", reply.RootElement.GetProperty("return").GetProperty("status").GetString());
        Assert.Empty(await Guest.Virsh.GetBlockJobsAsync(Guest.Name));
    }

    private IHostShell Shell(string host) => host == "local" ? new LocalHostShell() : sshd.CreateShell();
}
