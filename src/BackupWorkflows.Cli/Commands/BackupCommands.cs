using System.CommandLine;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf backup …</c></summary>
internal static class BackupCommands
{
    public static Command Build(BwfApp app)
    {
        var vm = Arg("VM", "VM name.");
        var full = Flag("--full", "Start a new chain with a full backup.");
        var isolated = Flag("--isolated", "A full backup outside any chain.");
        var wait = Flag("--wait", "Show progress until the backup ends.");
        var create = app.Action(Cmd("create", "Backs a VM up now.", vm, full, isolated, wait), async (c, ct) =>
        {
            var p = c.Parse;
            if (p.GetValue(full) && p.GetValue(isolated)) throw new CliUsageException("--full and --isolated exclude each other.");
            var started = await c.Api.PostAsync("api/backups", new CreateBackupRequest(full: p.GetValue(full) ? true : null, host: null,
                isolated: p.GetValue(isolated) ? true : null, vm: p.GetValue(vm)), ct);
            return await InstanceWaiter.ReportAsync(c, started, p.GetValue(wait), $"Backup of {p.GetValue(vm)}", ct);
        });

        var vmFilter = Opt("--vm", "Only this VM.");
        var list = app.Action(Cmd("list", "Lists backups, newest first.", vmFilter), async (c, ct) =>
        {
            var query = c.Parse.GetValue(vmFilter) is { } v ? $"?vm={Seg(v)}" : "";
            c.Out.Table(await c.Api.GetAsync($"api/backups{query}", ct), Column.Of("ID", "id"), Column.Of("VM", "vm"),
                Column.Of("TYPE", "type"), Column.Of("STATE", "state"), new Column("CREATED", r => Time(r?["createdAt"])),
                new Column("SIZE", r => Bytes(r?["virtualSize"])), new Column("STORED", r => Bytes(r?["storedSize"])),
                new Column("VALIDATION", r => Column.Text(r?["validation"]?["result"])));
            return 0;
        });

        var showId = Arg("ID", "Backup id.");
        var show = app.Action(Cmd("show", "Shows a backup with its volumes.", showId), async (c, ct) =>
        {
            var backup = await c.Api.GetAsync($"api/backups/{Seg(c.Parse.GetValue(showId)!)}", ct);
            if (c.Out.Json) { c.Out.Raw(backup); return 0; }
            var summary = backup!.DeepClone().AsObject();
            summary.Remove("volumes");
            c.Out.Object(summary);
            c.Out.Table(backup["volumes"], Column.Of("TARGET", "target"), Column.Of("IMAGE", "path"),
                new Column("SIZE", r => Bytes(r?["virtualSize"])), new Column("STORED", r => Bytes(r?["storedSize"])), Column.Of("CHECKSUM", "checksum"));
            return 0;
        });

        var deleteId = Arg("ID", "Backup id.");
        var deleteWait = Flag("--wait", "Wait until the delete has finished.");
        var delete = app.Action(Cmd("delete", "Deletes a backup chain-safely (kept as Removed while newer backups need it).", deleteId, deleteWait), async (c, ct) =>
        {
            var started = await c.Api.DeleteAsync($"api/backups/{Seg(c.Parse.GetValue(deleteId)!)}", ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(deleteWait), $"Delete of backup {c.Parse.GetValue(deleteId)}", ct);
        });

        var validateId = Arg("ID", "Backup id.");
        var validateWait = Flag("--wait", "Show progress until the validation ends.");
        var validate = app.Action(Cmd("validate", "Validates a backup by booting it.", validateId, validateWait), async (c, ct) =>
        {
            var started = await c.Api.PostAsync($"api/backups/{Seg(c.Parse.GetValue(validateId)!)}/validate", null, ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(validateWait), "Validation", ct);
        });
        return Group("backup", "Backups.", create, list, show, delete, validate);
    }
}
