using System.Globalization;
using System.Text;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Agent;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>
/// Copies files and directories of a backup into a running guest through its agent
/// (<c>guest-file-open</c>/<c>write</c>), or onto a directory of the backup's host, each under the target
/// directory at its path in the backed-up file system (<c>/etc/hosts</c> with target <c>/restored</c>
/// becomes <c>/restored/etc/hosts</c>). Nothing is overwritten unless asked: every target is checked
/// before the first byte is written (one existing file and nothing is written).
/// </summary>
/// <remarks>
/// <para>Into a guest: contents are read on the repository's host and cross to the orchestrator in 4 MiB
/// pieces on their way to the agent (the agent's only way in); each file is opened for appending and
/// refused when it holds bytes, so content that appears meanwhile is not overwritten either. Directories
/// are created with <c>mkdir -p</c> through <c>guest-exec</c>; then owners (numeric ids), modes and
/// modification times (whole seconds: busybox <c>touch</c> takes no fraction) are set with
/// <c>chown</c>/<c>chmod</c>/<c>touch</c> through <c>guest-exec</c>. An agent that refuses those (or a guest
/// without them) leaves files owned by the agent's user with its umask: the restore still finishes and
/// <see cref="AttributesFailed"/> counts them. Symlinks and special files below a restored directory are
/// skipped and counted.</para>
/// <para>Onto the host: a tar pipe from the read-only mount to the directory, on the host itself (no byte
/// crosses to the orchestrator), keeping numeric owners, modes, modification times and symlinks (as
/// symlinks); devices, FIFOs and sockets are skipped and counted.</para>
/// </remarks>
[Activity("Backup.RestoreFiles", Category = "Restore", DisplayName = "Restore files",
    Description = "Copies files or directories of a backup into a running VM through its guest agent, or onto a directory of the backup's host.")]
[Outcomes("Done")]
[Retry(MaxAttempts = 1)]
public sealed class RestoreFiles(BackupFiles files, HostRegistry hostRegistry, HostConnections hosts) : Activity
{
    private const int Piece = 4 * 1024 * 1024;

    /// <summary>Largest total length of the arguments of one guest-exec that sets attributes.</summary>
    private const int AttributeBatch = 16 * 1024;

    [Input(Description = "Backup to restore from.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "File system: disk target (vda) or partition (vda2); empty for the only disk.")]
    public string? Volume { get; set; }

    [Input(Description = "Paths in the backed-up file system, one per line (escaped as listed: \\xNN, \\\\).", Required = true)]
    public string Paths { get; set; } = "";

    [Input(Description = "Running VM (on the backup's host) to copy them into; or give toHostPath.")]
    public string? ToVm { get; set; }

    [Input(Description = "Absolute directory on the backup's host to copy them under (instead of a VM).")]
    public string? ToHostPath { get; set; }

    [Input(Description = "Directory in the guest they go under (default /: their original paths, for the guest's root file system).")]
    public string? TargetDirectory { get; set; }

    [Input(Description = "'true' replaces existing files; anything else refuses to restore when one exists.")]
    public string? Overwrite { get; set; }

    [Output(Description = "Files written.")]
    public long Files { get; set; }

    [Output(Description = "Bytes written.")]
    public long Bytes { get; set; }

    [Output(Description = "Symlinks restored as symlinks (host target only).")]
    public long Symlinks { get; set; }

    [Output(Description = "Entries skipped (into a VM: symlinks; always: devices, FIFOs, sockets below a restored directory).")]
    public long Skipped { get; set; }

    [Output(Description = "Files and directories restored into a VM whose owner, mode or time the guest refused to set.")]
    public long AttributesFailed { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var overwrite = string.Equals(Overwrite, "true", StringComparison.OrdinalIgnoreCase);
        var toHost = !string.IsNullOrWhiteSpace(ToHostPath);
        if (toHost == !string.IsNullOrWhiteSpace(ToVm)) throw new BackupInputException("give either a VM (toVm) or a host directory (toHostPath), not both");
        var target = toHost ? ToHostPath!.Trim() : string.IsNullOrWhiteSpace(TargetDirectory) ? "/" : TargetDirectory.Trim();
        if (!target.StartsWith('/')) throw new BackupInputException($"target directory '{target}' is not absolute");
        var paths = Paths.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (paths.Length == 0) throw new BackupInputException("no paths to restore");

        await using var volume = await files.OpenAsync(BackupIds.Parse(BackupId), string.IsNullOrWhiteSpace(Volume) ? null : Volume, ct);
        var plan = await PlanAsync(volume, paths, ct);
        Files = plan.Files.Count;
        Symlinks = toHost ? plan.Symlinks.Count : 0;
        Skipped = plan.Special + (toHost ? 0 : plan.Symlinks.Count);
        var total = plan.Files.Sum(f => f.Entry.Size);
        if (toHost) await ToHostAsync(context, volume, plan, target, overwrite, total);
        else await IntoVmAsync(context, volume, plan, target, overwrite, total);

        context.Journal($"{Files} file(s), {Bytes} bytes" + (Symlinks > 0 ? $", {Symlinks} symlink(s)" : "") +
            $" of backup {volume.Backup.Id} ({volume.Volume}) restored " + (toHost ? $"onto host '{volume.Backup.HostName}'" : $"into {ToVm}") + $" under {target}" +
            (Skipped > 0 ? $"; {Skipped} {(toHost ? "special file(s)" : "symlink(s) or special file(s)")} skipped" : "") +
            (AttributesFailed > 0 ? $"; the guest refused owner, mode or time of {AttributesFailed} entr(ies)" : ""));
        return ActivityResult.Done;
    }

    private async Task ToHostAsync(ActivityContext context, BrowsedVolume volume, Plan plan, string target, bool overwrite, long total)
    {
        var ct = context.CancellationToken;
        var entries = plan.Entries;
        if (!overwrite)
        {
            var conflicts = await volume.ReadAsync(fs => fs.ConflictsOnHostAsync(
                [.. entries.Select(e => (e.Components, e.Entry.Type == GuestEntryType.Directory))], target, ct));
            if (conflicts.Count > 0)
                throw new BackupInputException(
                    $"{conflicts.Count} path(s) exist under '{target}' on host '{volume.Backup.HostName}' and overwrite is off; nothing was written: " +
                    string.Join(", ", conflicts.Take(10).Select(i => GuestPath.Join(entries[i].Components))));
        }
        await volume.ReadAsync(async fs =>
        {
            await fs.CopyToHostAsync([.. entries.Select(e => e.Components)], target, overwrite,
                bytes => context.ReportProgress(Math.Min(bytes, total), total, $"restoring onto {target}"), ct);
            return 0;
        });
        Bytes = total;
        context.ReportProgress(total, total, $"restored onto {target}");
    }

    private async Task IntoVmAsync(ActivityContext context, BrowsedVolume volume, Plan plan, string target, bool overwrite, long total)
    {
        var ct = context.CancellationToken;
        var agent = hosts.SessionFor(await hostRegistry.HostAsync(volume.Backup.HostName, ct)).AgentOf(ToVm!);
        if (!await agent.TryPingAsync(ct))
            throw new BackupInputException($"VM '{ToVm}' on host '{volume.Backup.HostName}' is not running or its guest agent does not answer");

        var targets = plan.Files.Select(f => Under(target, f.Components)).ToList();
        if (!overwrite) await RefuseExistingAsync(agent, targets, ct);
        var directories = plan.Directories.Select(d => Under(target, d.Components)).Concat(targets.Select(Parent)).Distinct(StringComparer.Ordinal).ToList();
        if (directories.Count > 0) await agent.ShellAsync("exec mkdir -p -- \"$@\"", directories, null, ct);

        foreach (var (source, targetPath) in plan.Files.Zip(targets))
        {
            await using (var writer = await agent.CreateFileAsync(targetPath, overwrite, ct))
            {
                for (long offset = 0; offset < source.Entry.Size; offset += Piece)
                {
                    using var piece = new MemoryStream();
                    var length = Math.Min(Piece, source.Entry.Size - offset);
                    await volume.ReadAsync(async fs => { await fs.ReadAsync(source, piece, offset, length, ct); return 0; });
                    await writer.WriteAsync(piece.GetBuffer().AsMemory(0, (int)piece.Length), ct);
                    Bytes += piece.Length;
                    context.ReportProgress(Bytes, total, $"restoring {source.Display}");
                }
                await writer.CompleteAsync(ct);
            }
        }
        AttributesFailed = await KeepAttributesAsync(agent,
            [.. plan.Files.Zip(targets, (f, t) => (t, f.Entry)), .. plan.Directories.Select(d => (Under(target, d.Components), d.Entry))], ct);
    }

    /// <summary>Sets owner, mode and modification time of restored guest paths (chown before chmod, which
    /// would otherwise lose set-id bits), in batches; returns how many the guest refused.</summary>
    private static async Task<long> KeepAttributesAsync(GuestAgent agent, IReadOnlyList<(string Path, GuestEntry Entry)> restored, CancellationToken ct)
    {
        const string script = """
            n=0
            while [ $# -ge 5 ]; do
              { chown -h "$2:$3" "$1" && chmod "$4" "$1" && touch -c -d "@$5" "$1"; } 2>/dev/null || n=$((n+1))
              shift 5
            done
            echo "$n"
            """;
        long failed = 0;
        var batch = new List<string>();
        var length = 0;
        foreach (var (path, entry) in restored)
        {
            string[] arguments = [path, entry.Uid.ToString(CultureInfo.InvariantCulture), entry.Gid.ToString(CultureInfo.InvariantCulture),
                entry.ModeText, entry.ModifiedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
            batch.AddRange(arguments);
            length += arguments.Sum(a => a.Length + 1);
            if (length < AttributeBatch) continue;
            failed += await RunAsync();
        }
        if (batch.Count > 0) failed += await RunAsync();
        return failed;

        async Task<long> RunAsync()
        {
            var output = await agent.ShellAsync(script, batch, null, ct);
            batch.Clear();
            length = 0;
            return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>What one restore copies: regular files, directories and symlinks (each with its path
    /// below the root and what it is, parents before children), and how many special files it skips.</summary>
    private sealed record Plan(List<ResolvedGuestPath> Files, List<ResolvedGuestPath> Directories, List<ResolvedGuestPath> Symlinks,
        List<ResolvedGuestPath> Entries, long Special);

    private static async Task<Plan> PlanAsync(BrowsedVolume volume, IEnumerable<string> paths, CancellationToken ct)
    {
        var plan = new Plan([], [], [], [], 0);
        var special = 0L;
        void Add(ResolvedGuestPath p)
        {
            var list = p.Entry.Type switch
            {
                GuestEntryType.File => plan.Files, GuestEntryType.Directory => plan.Directories, GuestEntryType.Symlink => plan.Symlinks, _ => null,
            };
            if (list is null) { special++; return; }
            list.Add(p);
            plan.Entries.Add(p);
        }
        foreach (var text in paths)
        {
            var path = await volume.ReadAsync(fs => fs.ResolveAsync(GuestPath.Parse(text), followFinal: true, ct));
            if (path.Entry.Type is not (GuestEntryType.File or GuestEntryType.Directory))
                throw new BackupInputException($"'{path.Display}' is a {path.Entry.Type.ToString().ToLowerInvariant()}; only files and directories are restored");
            Add(path);
            if (path.Entry.Type != GuestEntryType.Directory) continue;
            foreach (var entry in await volume.ReadAsync(fs => fs.WalkAsync(path, ct)))
                Add(new ResolvedGuestPath([.. path.Components, .. GuestPath.Parse(GuestPath.Escape(entry.Name))], entry));
        }
        return plan with { Special = special };
    }

    /// <summary>The guest path of backed-up components under the target directory. The agent takes paths as
    /// JSON text, so a name that is not UTF-8 cannot be restored (it is refused, never mangled).</summary>
    private static string Under(string target, IReadOnlyList<byte[]> components)
    {
        var utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var parts = new List<string>();
        foreach (var c in components)
        {
            try
            {
                parts.Add(utf8.GetString(c));
            }
            catch (DecoderFallbackException)
            {
                throw new BackupInputException($"'{GuestPath.Join(components)}' has a name that is not UTF-8; the guest agent cannot create it (download it instead)");
            }
        }
        return target.TrimEnd('/') + "/" + string.Join('/', parts);
    }

    private static string Parent(string path) => path[..Math.Max(1, path.LastIndexOf('/'))];

    private static async Task RefuseExistingAsync(GuestAgent agent, IReadOnlyList<string> targets, CancellationToken ct)
    {
        if (targets.Count == 0) return;
        var existing = (await agent.ShellAsync("for f; do if [ -e \"$f\" ] || [ -L \"$f\" ]; then printf '%s\\n' \"$f\"; fi; done", targets, null, ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (existing.Length > 0)
            throw new BackupInputException(
                $"{existing.Length} file(s) exist in VM '{agent.Domain}' and overwrite is off; nothing was written: {string.Join(", ", existing.Take(10))}");
    }
}
