using System.CommandLine;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

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
            var answer = await c.Api.PostAsync($"api/vms/{Seg(p.GetValue(vm)!)}/assign", new AssignVmRequest(host: p.GetValue(assignHost),
                offering: p.GetValue(offering), repository: p.GetValue(repo)), ct);
            var assigned = ApiClient.Read<VmInfo>(answer);
            c.Out.Done($"Assigned {assigned.Name} on {assigned.Host} to offering {assigned.Offering}, repository {assigned.Repository}.", answer);
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
