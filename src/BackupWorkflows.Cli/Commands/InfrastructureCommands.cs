using System.CommandLine;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.Kit;

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
            var host = await c.Api.PostAsync("api/hosts", Body(("name", p.GetValue(name)), ("uri", p.GetValue(uri)),
                ("identityFile", Absolute(p.GetValue(identity))), ("knownHostsFile", Absolute(p.GetValue(knownHosts))),
                ("stagingDir", p.GetValue(staging)), ("maxConcurrentBackups", p.GetValue(max)),
                ("maxConcurrentCompressions", p.GetValue(compressions)),
                ("stagingCapacityBytes", p.GetValue(stagingGiB) is { } gib ? (long)gib << 30 : null)), ct);
            c.Out.Done($"Added host {host?["name"]} ({host?["uri"]}).", host);
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

/// <summary><c>bwf repo …</c></summary>
internal static class RepoCommands
{
    public static Command Build(BwfApp app)
    {
        var name = Arg("NAME", "Repository name.");
        var path = Opt("--path", "Directory every host sees at this path.", required: true);
        var add = app.Action(Cmd("add", "Adds a backup repository.", name, path), async (c, ct) =>
        {
            var repo = await c.Api.PostAsync("api/repositories", Body(("name", c.Parse.GetValue(name)),
                ("path", Absolute(c.Parse.GetValue(path)))), ct);
            c.Out.Done($"Added repository {repo?["name"]} at {repo?["path"]}.", repo);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists repositories."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/repositories", ct), Column.Of("NAME", "name"), Column.Of("PATH", "path"),
                new Column("USED", r => Bytes(r?["usedBytes"])), new Column("CAPACITY", r => r?["capacityBytes"]?.GetValue<long>() is > 0 ? Bytes(r["capacityBytes"]) : "unbounded"));
            return 0;
        });
        var removeName = Arg("NAME", "Repository name.");
        var remove = app.Action(Cmd("remove", "Removes a repository without backups.", removeName), async (c, ct) =>
        {
            await c.Api.DeleteAsync($"api/repositories/{Seg(c.Parse.GetValue(removeName)!)}", ct);
            c.Out.Done($"Removed repository {c.Parse.GetValue(removeName)}.");
            return 0;
        });
        return Group("repo", "Backup repositories.", add, list, remove);
    }
}

/// <summary><c>bwf offering …</c></summary>
internal static class OfferingCommands
{
    public static Command Build(BwfApp app)
    {
        var name = Arg("NAME", "Offering name.");
        var chain = Int("--chain-size", "Backups per chain, the full included (1 = always full).");
        var compress = Flag("--compress", "Compress backups in the repository.");
        var library = Opt("--compression-library", "zstd (default) or zlib.");
        library.AcceptOnlyFromAmong("zstd", "zlib");
        var validate = Flag("--validate", "Validate each backup by booting it.");
        var quick = Flag("--allow-quick-restore", "Allow quick restores.");
        var extract = Flag("--allow-extract-file", "Allow extracting single files.");
        var quiesce = Opt("--quiesce", "require (fail without the guest agent), prefer (default: crash-consistent without it) or skip (never freeze).");
        quiesce.AcceptOnlyFromAmong("require", "prefer", "skip");
        var create = app.Action(Cmd("create", "Creates an offering (a backup policy).", name, chain, compress, library, validate, quick, extract, quiesce), async (c, ct) =>
        {
            var p = c.Parse;
            if (p.GetValue(library) is not null && !p.GetValue(compress)) throw new CliUsageException("--compression-library needs --compress.");
            var offering = await c.Api.PostAsync("api/offerings", Body(("name", p.GetValue(name)), ("chainSize", p.GetValue(chain)),
                ("compress", p.GetValue(compress)), ("compressionLibrary", p.GetValue(library)), ("validate", p.GetValue(validate)),
                ("allowQuickRestore", p.GetValue(quick)), ("allowFileExtraction", p.GetValue(extract)), ("quiesce", p.GetValue(quiesce))), ct);
            c.Out.Done($"Created offering {offering?["name"]} (chain size {offering?["chainSize"]}).", offering);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists offerings."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/offerings", ct), Column.Of("NAME", "name"), Column.Of("CHAIN", "chainSize"),
                new Column("COMPRESS", r => r?["compress"]?.GetValue<bool>() == true ? Column.Text(r["compressionLibrary"]) : "no"),
                Column.Of("VALIDATE", "validate"), Column.Of("QUIESCE", "quiesce"), Column.Of("QUICK RESTORE", "allowQuickRestore"),
                Column.Of("FILE EXTRACTION", "allowFileExtraction"));
            return 0;
        });
        var deleteName = Arg("NAME", "Offering name.");
        var delete = app.Action(Cmd("delete", "Deletes an unused offering.", deleteName), async (c, ct) =>
        {
            await c.Api.DeleteAsync($"api/offerings/{Seg(c.Parse.GetValue(deleteName)!)}", ct);
            c.Out.Done($"Deleted offering {c.Parse.GetValue(deleteName)}.");
            return 0;
        });
        return Group("offering", "Offerings (backup policies).", create, list, delete);
    }
}

/// <summary><c>bwf vm …</c></summary>
internal static class VmCommands
{
    public static Command Build(BwfApp app)
    {
        var host = Opt("--host", "Only this host.");
        var list = app.Action(Cmd("list", "Lists VMs found on the hosts, with their assignment.", host), async (c, ct) =>
        {
            var query = c.Parse.GetValue(host) is { } h ? $"?host={Seg(h)}" : "";
            c.Out.Table(await c.Api.GetAsync($"api/vms{query}", ct), Column.Of("NAME", "name"), Column.Of("HOST", "host"),
                Column.Of("STATE", "state"), Column.Of("OFFERING", "offering"), Column.Of("REPOSITORY", "repository"),
                new Column("DISKS", r => string.Join(", ", (r?["disks"] as JsonArray ?? []).Select(d => $"{d?["target"]}"))));
            return 0;
        });
        var vm = Arg("VM", "VM (libvirt domain) name.");
        var offering = Opt("--offering", "Offering.", required: true);
        var repo = Opt("--repo", "Repository.", required: true);
        var assignHost = Opt("--host", "Host, when the VM name exists on several hosts.");
        var assign = app.Action(Cmd("assign", "Puts a VM under an offering.", vm, offering, repo, assignHost), async (c, ct) =>
        {
            var p = c.Parse;
            var result = await c.Api.PostAsync($"api/vms/{Seg(p.GetValue(vm)!)}/assign", Body(("offering", p.GetValue(offering)),
                ("repository", p.GetValue(repo)), ("host", p.GetValue(assignHost))), ct);
            c.Out.Done($"Assigned {p.GetValue(vm)} on {result?["host"]} to offering {p.GetValue(offering)}, repository {p.GetValue(repo)}.", result);
            return 0;
        });
        var unassignVm = Arg("VM", "VM name.");
        var unassignWait = Flag("--wait", "Wait until the VM is unassigned.");
        var unassign = app.Action(Cmd("unassign", "Takes a VM out of its offering (its backups stay).", unassignVm, unassignWait), async (c, ct) =>
        {
            var started = await c.Api.PostAsync($"api/vms/{Seg(c.Parse.GetValue(unassignVm)!)}/unassign", null, ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(unassignWait), $"Unassign of {c.Parse.GetValue(unassignVm)}", ct);
        });
        return Group("vm", "Virtual machines.", list, assign, unassign);
    }
}
