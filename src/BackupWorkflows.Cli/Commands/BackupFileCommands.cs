using System.CommandLine;
using BackupWorkflows.Cli.Client.Models;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf backup ls | get | restore-files</c>: the files of a backup (operators; the VM's offering must allow file extraction).</summary>
internal static class BackupFileCommands
{
    /// <summary>Entries asked per request while listing a large directory.</summary>
    private const int Page = 1000;

    /// <summary>The three commands, for the <c>backup</c> group.</summary>
    public static Command[] Build(BwfApp app) => [List(app), Get(app), Restore(app)];

    private static Command List(BwfApp app)
    {
        var id = Arg("ID", "Backup id.");
        var path = new Argument<string?>("PATH") { Description = "Directory in the backed-up file system (default /).", Arity = ArgumentArity.ZeroOrOne };
        var volume = Opt("--volume", "File system: disk target (vda) or partition (vda2); default the only disk.");
        return app.Action(Cmd("ls", "Lists a directory of a backup (names with odd bytes shown as \\xNN).", id, path, volume), async (c, ct) =>
        {
            var p = c.Parse;
            var entries = new JsonArray();
            JsonNode? first = null;
            for (var offset = 0; ; offset += Page)
            {
                var listing = await c.Api.GetAsync(
                    $"api/backups/{Seg(p.GetValue(id)!)}/files?{Query(p.GetValue(volume), p.GetValue(path) ?? "/")}&offset={offset}&limit={Page}", ct);
                first ??= listing;
                foreach (var e in listing!["entries"]!.AsArray()) entries.Add(e!.DeepClone());
                if (offset + Page >= listing["total"]!.GetValue<int>()) break;
            }
            if (c.Out.Json)
            {
                var all = first!.DeepClone().AsObject();
                all["entries"] = entries;
                all.Remove("offset");
                all.Remove("limit");
                c.Out.Raw(all);
                return 0;
            }
            c.Out.Table(entries, Column.Of("MODE", "mode"), Column.Of("TYPE", "type"), new Column("OWNER", r => $"{r?["uid"]}:{r?["gid"]}"),
                new Column("SIZE", r => Bytes(r?["size"])), new Column("MODIFIED", r => Time(r?["modifiedAt"])),
                new Column("NAME", r => r?["target"] is { } t ? $"{r["name"]} -> {t}" : Column.Text(r?["name"])));
            return 0;
        });
    }

    private static Command Get(BwfApp app)
    {
        var id = Arg("ID", "Backup id.");
        var path = Arg("PATH", "File (or directory, downloaded as tar) in the backed-up file system.");
        var volume = Opt("--volume", "File system: disk target (vda) or partition (vda2); default the only disk.");
        // Not -o: that is bwf's global --output (table|json).
        var output = new Option<string?>("--file", "-O") { Description = "Where to write it ('-' for standard output); default its name (NAME.tar for a directory) here." };
        return app.Action(Cmd("get", "Downloads a file of a backup (a directory as a tar archive).", id, path, volume, output), async (c, ct) =>
        {
            var p = c.Parse;
            var query = Query(p.GetValue(volume), p.GetValue(path)!);
            var stat = await c.Api.GetAsync($"api/backups/{Seg(p.GetValue(id)!)}/files/stat?{query}", ct);
            var isDirectory = stat!["entry"]!["type"]!.GetValue<string>() == "directory";
            var name = stat["path"]!.GetValue<string>().TrimEnd('/').Split('/')[^1] is { Length: > 0 } n ? n : "root";
            var target = p.GetValue(output) ?? (isDirectory ? name + ".tar" : name);
            var url = $"api/backups/{Seg(p.GetValue(id)!)}/files/{(isDirectory ? "archive" : "content")}?{query}";
            long bytes;
            if (target == "-")
            {
                await using var stdout = Console.OpenStandardOutput();
                bytes = await c.Api.DownloadAsync(url, stdout, ct);
                return 0;
            }
            var partial = target + ".partial";
            await using (var file = File.Create(partial)) bytes = await c.Api.DownloadAsync(url, file, ct);
            File.Move(partial, target, overwrite: true);
            c.Out.Done($"{stat["path"]} -> {target} ({Bytes(JsonValue.Create(bytes))})",
                new JsonObject { ["path"] = stat["path"]!.DeepClone(), ["file"] = Path.GetFullPath(target), ["bytes"] = bytes, ["archive"] = isDirectory });
            return 0;
        });
    }

    private static Command Restore(BwfApp app)
    {
        var id = Arg("ID", "Backup id.");
        var paths = new Argument<string[]>("PATH") { Description = "Files or directories in the backed-up file system.", Arity = ArgumentArity.OneOrMore };
        var toVm = Opt("--to-vm", "Running VM to copy them into (through its guest agent); or --to-host-path.");
        var toHostPath = Opt("--to-host-path", "Instead of a VM: absolute directory on the backup's host they go under, at their backed-up paths (owners, modes, times and symlinks kept).");
        var target = Opt("--target", "Guest directory they go under, at their backed-up paths (default /; with --to-vm).");
        var volume = Opt("--volume", "File system: disk target (vda) or partition (vda2); default the only disk.");
        var overwrite = Flag("--overwrite", "Replace files that exist (default: refuse and write nothing).");
        var wait = Flag("--wait", "Show progress until the restore ends.");
        return app.Action(Cmd("restore-files", "Copies files of a backup into a running VM, or onto a directory of the backup's host.",
            id, paths, toVm, toHostPath, target, volume, overwrite, wait), async (c, ct) =>
        {
            var p = c.Parse;
            var body = new RestoreFilesRequest(overwrite: p.GetValue(overwrite) ? true : null, paths: p.GetValue(paths), targetDirectory: p.GetValue(target),
                toVm: p.GetValue(toVm), toHostPath: p.GetValue(toHostPath), volume: p.GetValue(volume));
            var started = await c.Api.PostAsync($"api/backups/{Seg(p.GetValue(id)!)}/files/restore", body, ct);
            var where = p.GetValue(toHostPath) is { } hostPath ? $"onto host path {hostPath}" : $"into {p.GetValue(toVm)}";
            return await InstanceWaiter.ReportAsync(c, started, p.GetValue(wait), $"Restore of files {where}", ct);
        });
    }

    private static string Query(string? volume, string path) =>
        (volume is null ? "" : $"volume={Seg(volume)}&") + $"path={Seg(path)}";
}
