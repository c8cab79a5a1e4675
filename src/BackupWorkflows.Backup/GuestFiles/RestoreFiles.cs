using System.Text;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Engine.Activities;
using BackupWorkflows.Kvm.Agent;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>
/// Copies files and directories of a backup into a running guest through its agent
/// (<c>guest-file-open</c>/<c>write</c>), each under the target directory at its path in the backed-up
/// file system (<c>/etc/hosts</c> with target <c>/restored</c> becomes <c>/restored/etc/hosts</c>).
/// Nothing is overwritten unless asked: every target is checked before the first byte is written, and
/// each file is then opened for appending and refused when it holds bytes, so content that appears meanwhile is not overwritten either.
/// </summary>
/// <remarks>Contents are read on the repository's host and cross to the orchestrator in 4 MiB pieces on
/// their way to the agent (the agent's only way in). Directories are created with <c>mkdir -p</c> through
/// <c>guest-exec</c>; symlinks and special files below a restored directory are skipped and counted;
/// owners and modes are not restored.</remarks>
[Activity("Backup.RestoreFiles", Category = "Restore", DisplayName = "Restore files",
    Description = "Copies files or directories of a backup into a running VM through its guest agent.")]
[Outcomes("Done")]
[Retry(MaxAttempts = 1)]
public sealed class RestoreFiles(BackupFiles files, HostRegistry hostRegistry, HostConnections hosts) : Activity
{
    private const int Piece = 4 * 1024 * 1024;

    [Input(Description = "Backup to restore from.", Required = true)]
    public string BackupId { get; set; } = "";

    [Input(Description = "File system: disk target (vda) or partition (vda2); empty for the only disk.")]
    public string? Volume { get; set; }

    [Input(Description = "Paths in the backed-up file system, one per line (escaped as listed: \\xNN, \\\\).", Required = true)]
    public string Paths { get; set; } = "";

    [Input(Description = "Running VM (on the backup's host) to copy them into.", Required = true)]
    public string ToVm { get; set; } = "";

    [Input(Description = "Directory in the guest they go under (default /: their original paths, for the guest's root file system).")]
    public string? TargetDirectory { get; set; }

    [Input(Description = "'true' replaces existing files; anything else refuses to restore when one exists.")]
    public string? Overwrite { get; set; }

    [Output(Description = "Files written.")]
    public long Files { get; set; }

    [Output(Description = "Bytes written.")]
    public long Bytes { get; set; }

    [Output(Description = "Entries skipped (symlinks, devices, FIFOs, sockets below a restored directory).")]
    public long Skipped { get; set; }

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var ct = context.CancellationToken;
        var overwrite = string.Equals(Overwrite, "true", StringComparison.OrdinalIgnoreCase);
        var target = string.IsNullOrWhiteSpace(TargetDirectory) ? "/" : TargetDirectory.Trim();
        if (!target.StartsWith('/')) throw new BackupInputException($"target directory '{target}' is not absolute");
        var paths = Paths.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (paths.Length == 0) throw new BackupInputException("no paths to restore");

        await using var volume = await files.OpenAsync(BackupIds.Parse(BackupId), string.IsNullOrWhiteSpace(Volume) ? null : Volume, ct);
        var agent = hosts.SessionFor(await hostRegistry.HostAsync(volume.Backup.HostName, ct)).AgentOf(ToVm);
        if (!await agent.TryPingAsync(ct))
            throw new BackupInputException($"VM '{ToVm}' on host '{volume.Backup.HostName}' is not running or its guest agent does not answer");

        var plan = await PlanAsync(volume, paths, target, ct);
        Skipped = plan.Skipped;
        var total = plan.Files.Sum(f => f.Source.Entry.Size);
        if (!overwrite) await RefuseExistingAsync(agent, plan.Files.Select(f => f.Target).ToList(), ct);
        var directories = plan.Directories.Concat(plan.Files.Select(f => Parent(f.Target))).Distinct(StringComparer.Ordinal).ToList();
        if (directories.Count > 0) await agent.ShellAsync("exec mkdir -p -- \"$@\"", directories, null, ct);

        foreach (var (source, targetPath) in plan.Files)
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
            Files++;
        }
        context.Journal($"{Files} file(s), {Bytes} bytes of backup {volume.Backup.Id} ({volume.Volume}) restored into {ToVm} under {target}" +
            (Skipped > 0 ? $"; {Skipped} symlink(s) or special file(s) skipped" : ""));
        return ActivityResult.Done;
    }

    private sealed record Plan(List<(ResolvedGuestPath Source, string Target)> Files, List<string> Directories, long Skipped);

    private static async Task<Plan> PlanAsync(BrowsedVolume volume, IEnumerable<string> paths, string target, CancellationToken ct)
    {
        var plan = new Plan([], [], 0);
        var skipped = 0L;
        foreach (var text in paths)
        {
            var path = await volume.ReadAsync(fs => fs.ResolveAsync(GuestPath.Parse(text), followFinal: true, ct));
            if (path.Entry.Type == GuestEntryType.File) { plan.Files.Add((path, Under(target, path.Components))); continue; }
            if (path.Entry.Type != GuestEntryType.Directory)
                throw new BackupInputException($"'{path.Display}' is a {path.Entry.Type.ToString().ToLowerInvariant()}; only files and directories are restored");
            plan.Directories.Add(Under(target, path.Components));
            foreach (var entry in await volume.ReadAsync(fs => fs.WalkAsync(path, ct)))
            {
                var components = path.Components.Concat(GuestPath.Parse(GuestPath.Escape(entry.Name))).ToList();
                if (entry.Type == GuestEntryType.Directory) plan.Directories.Add(Under(target, components));
                else if (entry.Type == GuestEntryType.File) plan.Files.Add((new ResolvedGuestPath(components, entry), Under(target, components)));
                else skipped++;
            }
        }
        return plan with { Skipped = skipped };
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
