using System.CommandLine;
using BackupWorkflows.Cli.Client.Models;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf snapshot …</c>: disk-only VM snapshots.</summary>
internal static class SnapshotCommands
{
    public static Command Build(BwfApp app)
    {
        var vm = Arg("VM", "VM name.");
        var name = Opt("--name", "Name of the snapshot (default: made from the time).");
        var disks = Opt("--disks", "Disks to snapshot, comma-separated (vda,vdb); default: every disk.");
        var quiesce = Flag("--quiesce", "Freeze the guest's file systems through its agent (the offering's quiesce policy applies).");
        var wait = Flag("--wait", "Wait until the snapshot is taken.");
        var create = app.Action(Cmd("create", "Takes a disk-only snapshot of a VM (running or stopped).", vm, name, disks, quiesce, wait), async (c, ct) =>
        {
            var p = c.Parse;
            var diskList = p.GetValue(disks)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var started = await c.Api.PostAsync("api/snapshots", new CreateSnapshotRequest(disks: diskList, host: null, name: p.GetValue(name),
                quiesce: p.GetValue(quiesce) ? true : null, vm: p.GetValue(vm)), ct);
            return await InstanceWaiter.ReportAsync(c, started, p.GetValue(wait), $"Snapshot of {p.GetValue(vm)}", ct);
        });

        var vmFilter = Opt("--vm", "The VM whose snapshots to list.", required: true);
        var list = app.Action(Cmd("list", "Lists a VM's snapshots, newest first.", vmFilter), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync($"api/snapshots?vm={Seg(c.Parse.GetValue(vmFilter)!)}", ct), Column.Of("ID", "id"),
                Column.Of("NAME", "name"), Column.Of("STATE", "state"), new Column("CREATED", r => Time(r?["createdAt"])),
                new Column("DISKS", r => string.Join(",", r?["disks"]?.AsArray().Select(x => x?["target"]?.GetValue<string>()) ?? [])),
                new Column("QUIESCED", r => Column.Text(r?["quiesced"])));
            return 0;
        });

        var showId = Arg("ID", "Snapshot id.");
        var show = app.Action(Cmd("show", "Shows a snapshot with its disks.", showId), async (c, ct) =>
        {
            var snapshot = await c.Api.GetAsync($"api/snapshots/{Seg(c.Parse.GetValue(showId)!)}", ct);
            if (c.Out.Json) { c.Out.Raw(snapshot); return 0; }
            var summary = snapshot!.DeepClone().AsObject();
            summary.Remove("disks");
            c.Out.Object(summary);
            c.Out.Table(snapshot["disks"], Column.Of("TARGET", "target"), Column.Of("IMAGE", "image"), Column.Of("OVERLAY", "overlay"));
            return 0;
        });

        var revertId = Arg("ID", "Snapshot id.");
        var revertWait = Flag("--wait", "Wait until the revert has finished.");
        var revert = app.Action(Cmd("revert", "Reverts a stopped VM to a snapshot (it then runs on a new overlay on top of it).", revertId, revertWait), async (c, ct) =>
        {
            var started = await c.Api.PostAsync($"api/snapshots/{Seg(c.Parse.GetValue(revertId)!)}/revert", null, ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(revertWait), $"Revert to snapshot {c.Parse.GetValue(revertId)}", ct);
        });

        var deleteId = Arg("ID", "Snapshot id.");
        var deleteWait = Flag("--wait", "Wait until the delete has finished.");
        var delete = app.Action(Cmd("delete", "Deletes a snapshot (merged away, or kept as Removed while other images need it).", deleteId, deleteWait), async (c, ct) =>
        {
            var started = await c.Api.DeleteAsync($"api/snapshots/{Seg(c.Parse.GetValue(deleteId)!)}", ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(deleteWait), $"Delete of snapshot {c.Parse.GetValue(deleteId)}", ct);
        });
        return Group("snapshot", "Disk-only VM snapshots.", create, list, show, revert, delete);
    }
}
