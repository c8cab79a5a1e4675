using System.CommandLine;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf host …</c></summary>
internal static class HostCommands
{
    public static Command Build(BwfApp app)
    {
        var name = Arg("NAME", "Host name.");
        var uri = Opt("--uri", "local or ssh://user@host[:port].", required: true);
        var identity = Opt("--identity", "SSH private key file.");
        var knownHosts = Opt("--known-hosts", "known_hosts file with the host's key.");
        var staging = Opt("--staging-dir", "Staging directory on the host.");
        var max = Int("--max-concurrent-backups", "Backups running at once on the host.");
        var compressions = Int("--max-concurrent-compressions", "Compressions running at once on the host (-1 = no limit of its own).");
        var stagingGiB = Int("--staging-capacity-gib", "GiB the staging directory may hold at once (default: its free space).");
        var add = app.Action(Cmd("add", "Adds a hypervisor host.", name, uri, identity, knownHosts, staging, max, compressions, stagingGiB), async (c, ct) =>
        {
            var p = c.Parse;
            var answer = await c.Api.PostAsync("api/hosts", new AddHostRequest(name: p.GetValue(name), uri: p.GetValue(uri),
                identityFile: Absolute(p.GetValue(identity)), knownHostsFile: Absolute(p.GetValue(knownHosts)),
                stagingDir: p.GetValue(staging), maxConcurrentBackups: p.GetValue(max),
                maxConcurrentCompressions: p.GetValue(compressions),
                stagingCapacityBytes: p.GetValue(stagingGiB) is { } gib ? (long)gib << 30 : null), ct);
            var host = ApiClient.Read<HostDto>(answer);
            c.Out.Done($"Added host {host.Name} ({host.Uri}).", answer);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists hosts."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/hosts", ct), Column.Of("NAME", "name"), Column.Of("URI", "uri"),
                Column.Of("STAGING", "stagingDir"), Column.Of("MAX BACKUPS", "maxConcurrentBackups"),
                Column.Of("MAX COMPRESSIONS", "maxConcurrentCompressions"),
                new Column("STAGED", r => Bytes(r?["stagingUsedBytes"])),
                new Column("STAGING CAPACITY", r => r?["stagingCapacityBytes"] is { } b ? Bytes(b) : "free space"));
            return 0;
        });
        var removeName = Arg("NAME", "Host name.");
        var remove = app.Action(Cmd("remove", "Removes a host.", removeName), async (c, ct) =>
        {
            await c.Api.DeleteAsync($"api/hosts/{Seg(c.Parse.GetValue(removeName)!)}", ct);
            c.Out.Done($"Removed host {c.Parse.GetValue(removeName)}.");
            return 0;
        });
        return Group("host", "Hypervisor hosts.", add, list, remove);
    }
}
