using System.CommandLine;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

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
        var strategy = Opt("--strategy", "delta (default: an overlay on primary per backup, merged after) or bitmap (libvirt checkpoints: QEMU tracks changed blocks).");
        strategy.AcceptOnlyFromAmong("delta", "bitmap");
        var backupWorkflow = Opt("--backup-workflow", "Workflow its backups start (default backup).");
        var restoreWorkflow = Opt("--restore-workflow", "Workflow its restores start (default restore).");
        var quickWorkflow = Opt("--quick-restore-workflow", "Workflow its quick restores start (default quick-restore).");
        var create = app.Action(Cmd("create", "Creates an offering (a backup policy).", name, chain, compress, library, validate, quick, extract, quiesce, strategy,
            backupWorkflow, restoreWorkflow, quickWorkflow), async (c, ct) =>
        {
            var p = c.Parse;
            if (p.GetValue(library) is not null && !p.GetValue(compress)) throw new CliUsageException("--compression-library needs --compress.");
            var answer = await c.Api.PostAsync("api/offerings", new CreateOfferingRequest(name: p.GetValue(name), chainSize: p.GetValue(chain),
                compress: p.GetValue(compress), compressionLibrary: p.GetValue(library), validate: p.GetValue(validate),
                allowQuickRestore: p.GetValue(quick), allowFileExtraction: p.GetValue(extract), quiesce: p.GetValue(quiesce), strategy: p.GetValue(strategy),
                backupWorkflow: p.GetValue(backupWorkflow), restoreWorkflow: p.GetValue(restoreWorkflow), quickRestoreWorkflow: p.GetValue(quickWorkflow)), ct);
            var offering = ApiClient.Read<OfferingDto>(answer);
            c.Out.Done($"Created offering {offering.Name} (chain size {offering.ChainSize}, strategy {offering.Strategy}).", answer);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists offerings."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/offerings", ct), Column.Of("NAME", "name"), Column.Of("CHAIN", "chainSize"),
                new Column("COMPRESS", r => r?["compress"]?.GetValue<bool>() == true ? Column.Text(r["compressionLibrary"]) : "no"),
                Column.Of("VALIDATE", "validate"), Column.Of("QUIESCE", "quiesce"), Column.Of("STRATEGY", "strategy"), Column.Of("QUICK RESTORE", "allowQuickRestore"),
                Column.Of("FILE EXTRACTION", "allowFileExtraction"),
                new Column("WORKFLOWS", r => $"{Column.Text(r?["backupWorkflow"])}, {Column.Text(r?["restoreWorkflow"])}, {Column.Text(r?["quickRestoreWorkflow"])}"));
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
