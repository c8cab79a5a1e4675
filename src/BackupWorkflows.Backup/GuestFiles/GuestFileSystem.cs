using System.Globalization;
using System.Text;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>A path resolved inside a guest file system: its components (no <c>.</c>, <c>..</c> or
/// symlink left in them) and what is there.</summary>
/// <param name="Components">Components below the file system's root.</param>
/// <param name="Entry">The file, directory or (when not followed) symlink at that path.</param>
public sealed record ResolvedGuestPath(IReadOnlyList<byte[]> Components, GuestEntry Entry)
{
    /// <summary>The escaped path, <c>/</c> for the root.</summary>
    public string Display => GuestPath.Join(Components);
}

/// <summary>
/// Reads one mounted guest file system on its host. Every path is resolved here, component by
/// component, as the guest would resolve it but with the file system's root as <c>/</c>: <c>..</c> stops
/// at the root and a symlink's target (absolute ones from the root) is followed inside it, so no request
/// reaches a host file outside the mount. Commands then get the resolved path, which has no symlink
/// left in it; the mount is read-only, so it cannot change between the check and the read. Only regular
/// files are read: devices, FIFOs and sockets are listed, never opened.
/// </summary>
public sealed class GuestFileSystem(IHostShell shell, string mountDirectory)
{
    /// <summary>Symlinks followed per resolution, as Linux's MAXSYMLINKS.</summary>
    public const int MaxSymlinks = 40;

    /// <summary>Decodes <c>\0NNN</c>-escaped path arguments (<see cref="GuestPath.ForPrintf"/>) keeping
    /// trailing newlines: <c>$(…)</c> would strip them, so a '/' is appended and taken off.</summary>
    private const string Decode = "path() { p=$(printf '%b/' \"$1\"); p=${p%/}; }; ";

    /// <summary>The host directory the file system is mounted on.</summary>
    public string MountDirectory { get; } = mountDirectory;

    /// <summary>Resolves <paramref name="components"/> (from <see cref="GuestPath.Parse"/>).</summary>
    /// <param name="components">The requested path.</param>
    /// <param name="followFinal">Follow a symlink in the last component too (false: stat the link itself).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="DomainNotFoundException">Nothing at that path.</exception>
    /// <exception cref="BrowseInputException">A component that is not a directory, or a symlink loop.</exception>
    public async Task<ResolvedGuestPath> ResolveAsync(IReadOnlyList<byte[]> components, bool followFinal, CancellationToken ct)
    {
        var resolved = new List<byte[]>();
        var pending = new List<byte[]>(components);
        var links = 0;
        while (true)
        {
            // Walk the pending components textually; every directory entered is checked in one find call,
            // and the walk starts again from the first symlink met.
            var stack = new List<byte[]>(resolved);
            var visits = new List<(List<byte[]> Path, int Index)> { ([.. resolved], -1) };
            if (resolved.Count > 0) visits.Insert(0, ([], -1));
            for (var i = 0; i < pending.Count; i++)
            {
                var c = pending[i];
                if (c is [(byte)'.']) continue;
                if (c is [(byte)'.', (byte)'.']) { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); continue; }
                stack.Add(c);
                visits.Add(([.. stack], i));
            }

            var entries = await LstatAsync(visits.Select(v => v.Path), ct);
            var restarted = false;
            foreach (var (path, index) in visits)
            {
                var display = GuestPath.Join(path);
                if (!entries.TryGetValue(HostPath(path), out var entry))
                    throw new DomainNotFoundException($"'{display}' does not exist in this backup.");
                var later = index < pending.Count - 1;
                if (index >= 0 && entry.Type == GuestEntryType.Symlink && (later || followFinal))
                {
                    if (++links > MaxSymlinks) throw new BrowseInputException("path", $"too many levels of symbolic links at '{display}'.");
                    var target = entry.LinkTarget ?? [];
                    resolved = target.Length > 0 && target[0] == (byte)'/' ? [] : path[..^1];
                    pending = [.. GuestPath.Parse(GuestPath.Escape(target)), .. pending.Skip(index + 1)];
                    restarted = true;
                    break;
                }
                if (later && entry.Type != GuestEntryType.Directory)
                    throw new BrowseInputException("path", $"'{display}' is not a directory.");
            }
            if (restarted) continue;
            // The path after the walk (a '..' may have left it on a directory not visited this round).
            if (!entries.TryGetValue(HostPath(stack), out var final))
                final = (await LstatAsync([stack], ct)).GetValueOrDefault(HostPath(stack))
                    ?? throw new DomainNotFoundException($"'{GuestPath.Join(stack)}' does not exist in this backup.");
            return new ResolvedGuestPath(stack, final);
        }
    }

    /// <summary>The entries of a resolved directory, ordered by name bytes.</summary>
    /// <exception cref="BrowseInputException">Not a directory.</exception>
    public async Task<IReadOnlyList<GuestEntry>> ListAsync(ResolvedGuestPath directory, CancellationToken ct)
    {
        RequireType(directory, GuestEntryType.Directory, "a directory");
        var output = await RunBinaryAsync(
            Decode + "path \"$1\"; exec find \"$p\" -mindepth 1 -maxdepth 1 -printf \"$2\"", [Printf(directory.Components), GuestEntry.FindFormat()], ct);
        var entries = GuestEntry.ParseFind(output);
        entries.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return entries;
    }

    /// <summary>Every entry below a resolved directory, with its path relative to it as <see cref="GuestEntry.Name"/>,
    /// parents before children.</summary>
    public async Task<IReadOnlyList<GuestEntry>> WalkAsync(ResolvedGuestPath directory, CancellationToken ct)
    {
        RequireType(directory, GuestEntryType.Directory, "a directory");
        var output = await RunBinaryAsync(
            Decode + "path \"$1\"; exec find \"$p\" -mindepth 1 -xdev -printf \"$2\"", [Printf(directory.Components), GuestEntry.FindFormat("%P")], ct);
        return GuestEntry.ParseFind(output);
    }

    /// <summary>Streams a regular file's bytes (<paramref name="length"/> from <paramref name="offset"/>, or all) to <paramref name="target"/>.</summary>
    /// <exception cref="BrowseInputException">Not a regular file (devices, FIFOs and sockets are never read).</exception>
    public Task ReadAsync(ResolvedGuestPath file, Stream target, long offset, long? length, CancellationToken ct)
    {
        RequireType(file, GuestEntryType.File, "a regular file (devices, FIFOs and sockets are never read)");
        var options = new HostCommandOptions { StandardOutputTarget = target };
        return offset == 0 && length is null
            ? shell.RunAsync(["sh", "-c", Decode + "path \"$1\"; exec cat -- \"$p\"", "sh", Printf(file.Components)], options, ct)
            : shell.RunAsync(["sh", "-c", Decode + "path \"$1\"; exec dd if=\"$p\" bs=1M iflag=skip_bytes,count_bytes,fullblock skip=\"$2\" count=\"$3\" status=none",
                "sh", Printf(file.Components), offset.ToString(CultureInfo.InvariantCulture),
                (length ?? file.Entry.Size - offset).ToString(CultureInfo.InvariantCulture)], options, ct);
    }

    /// <summary>Streams a resolved directory (or file) as a tar archive (GNU tar, numeric owners, symlinks
    /// stored as links, special files as headers only) whose entries start with its name (<c>./</c> for the root).</summary>
    public Task ArchiveAsync(ResolvedGuestPath path, Stream target, CancellationToken ct)
    {
        var parent = path.Components.Count == 0 ? path.Components : path.Components.Take(path.Components.Count - 1).ToList();
        var name = path.Components.Count == 0 ? "." : "./" + GuestPath.ForPrintf(path.Components[^1]);
        return shell.RunAsync(
            ["sh", "-c", Decode + "path \"$1\"; d=$p; path \"$2\"; exec tar -C \"$d\" --one-file-system --numeric-owner -cf - -- \"$p\"",
                "sh", Printf(parent), name],
            new HostCommandOptions { StandardOutputTarget = target }, ct);
    }

    /// <summary>Which of <paramref name="entries"/> (paths below the file system's root, with whether each
    /// is a directory) are in the way under <paramref name="targetDirectory"/> on this host: anything at
    /// a file's or symlink's place, a non-directory (or a symlink) at a directory's place.</summary>
    /// <returns>Indexes into <paramref name="entries"/>.</returns>
    public async Task<IReadOnlyList<int>> ConflictsOnHostAsync(IReadOnlyList<(IReadOnlyList<byte[]> Path, bool Directory)> entries,
        string targetDirectory, CancellationToken ct)
    {
        if (entries.Count == 0) return [];
        const string script = """
            t=$1; i=0
            while IFS= read -r line; do
              k=${line%%:*}; p=$(printf '%b/' "${line#*:}"); f=$t/${p%/}
              if [ "$k" = d ]; then
                if [ -L "$f" ] || { [ -e "$f" ] && [ ! -d "$f" ]; }; then echo "$i"; fi
              elif [ -e "$f" ] || [ -L "$f" ]; then echo "$i"; fi
              i=$((i+1))
            done
            """;
        var input = string.Concat(entries.Select(e => (e.Directory ? "d:" : "f:") + GuestPath.ForPrintf(Relative(e.Path)) + "\n"));
        var output = await shell.RunAsync(["sh", "-c", script, "sh", targetDirectory], new HostCommandOptions { StandardInput = input }, ct);
        return [.. output.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Copies <paramref name="entries"/> (files, directories and symlinks, parents before children; each
    /// path below the file system's root, no symlink in it) to the same paths under
    /// <paramref name="targetDirectory"/> on this host (created when missing), with a tar pipe that never
    /// leaves the host: owners (numeric, as in the guest), modes and modification times are kept, symlinks
    /// stay symlinks. Without <paramref name="overwrite"/> tar refuses any file that exists
    /// (<c>--keep-old-files</c>); check first with <see cref="ConflictsOnHostAsync"/>.
    /// </summary>
    /// <param name="entries">What to copy, each listed on its own (no recursion).</param>
    /// <param name="targetDirectory">Absolute host directory.</param>
    /// <param name="overwrite">Replace existing files.</param>
    /// <param name="onBytes">Called with the bytes archived so far (in steps of about 1 MiB).</param>
    /// <param name="ct">Cancellation.</param>
    public Task CopyToHostAsync(IReadOnlyList<IReadOnlyList<byte[]>> entries, string targetDirectory, bool overwrite,
        Action<long>? onBytes, CancellationToken ct)
    {
        // POSIX sh has no pipefail: the archiving side's status goes through a file.
        const string script = """
            m=$1; t=$2; shift 2
            mkdir -p -- "$t" || exit 1
            s=$(mktemp) || exit 1
            { while IFS= read -r a; do printf '%b\0' "$a"; done |
                tar -C "$m" -H posix --numeric-owner --checkpoint=100 '--checkpoint-action=echo=bwf-progress %u' --null --no-recursion -T - -cf -
              echo $? > "$s"; } |
              tar -C "$t" --numeric-owner --same-owner --same-permissions "$@" -xf -
            x=$?; c=$(cat "$s"); rm -f -- "$s"
            [ "$x" = 0 ] && [ "$c" = 0 ]
            """;
        var input = string.Concat(entries.Select(e => GuestPath.ForPrintf(Relative(e)) + "\n"));
        var options = new HostCommandOptions
        {
            StandardInput = input,
            OnErrorLine = line =>
            {
                // tar writes "tar: bwf-progress N" each 100 records of 10 KiB.
                var at = line.IndexOf("bwf-progress ", StringComparison.Ordinal);
                if (at >= 0 && long.TryParse(line.AsSpan(at + 13).Trim(), CultureInfo.InvariantCulture, out var checkpoint))
                    onBytes?.Invoke(checkpoint * 100 * 10240);
            },
        };
        return shell.RunAsync(["sh", "-c", script, "sh", MountDirectory, targetDirectory, overwrite ? "--overwrite-dir" : "--keep-old-files"], options, ct);
    }

    /// <summary>Components as a relative path (<c>./a/b</c>, <c>.</c> for the root).</summary>
    private static byte[] Relative(IReadOnlyList<byte[]> components)
    {
        using var path = new MemoryStream();
        path.WriteByte((byte)'.');
        foreach (var c in components) { path.WriteByte((byte)'/'); path.Write(c); }
        return path.ToArray();
    }

    /// <summary>The one entry per existing path (keyed by host path bytes as text), without following symlinks.</summary>
    private async Task<Dictionary<string, GuestEntry>> LstatAsync(IEnumerable<List<byte[]>> paths, CancellationToken ct)
    {
        var arguments = paths.Select(p => GuestPath.ForPrintf(Encoding.Latin1.GetBytes(HostPath(p)))).ToList();
        // find exits 1 for the paths that do not exist; they are simply missing from the output.
        using var output = new MemoryStream();
        await shell.RunAsync(
            ["sh", "-c", "for a; do printf '%b\\0' \"$a\"; done | find -files0-from - -maxdepth 0 -printf \"$0\"", GuestEntry.FindFormat("%p"), .. arguments],
            new HostCommandOptions { StandardOutputTarget = output, SuccessExitCodes = [0, 1] }, ct);
        var result = new Dictionary<string, GuestEntry>(StringComparer.Ordinal);
        foreach (var e in GuestEntry.ParseFind(output.ToArray())) result[Encoding.Latin1.GetString(e.Name)] = e;
        return result;
    }

    /// <summary>The host path of guest components, as Latin-1 text (one char per byte) so any bytes compare exactly.</summary>
    private string HostPath(IReadOnlyList<byte[]> components)
    {
        var text = new StringBuilder(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(MountDirectory)));
        foreach (var c in components) text.Append('/').Append(Encoding.Latin1.GetString(c));
        return text.ToString();
    }

    private string Printf(IReadOnlyList<byte[]> components) => GuestPath.ForPrintf(Encoding.Latin1.GetBytes(HostPath(components)));

    private async Task<byte[]> RunBinaryAsync(string script, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        using var output = new MemoryStream();
        await shell.RunAsync(["sh", "-c", script, "sh", .. arguments], new HostCommandOptions { StandardOutputTarget = output }, ct);
        return output.ToArray();
    }

    private static void RequireType(ResolvedGuestPath path, GuestEntryType type, string what)
    {
        if (path.Entry.Type != type) throw new BrowseInputException("path", $"'{path.Display}' is not {what}; it is a {path.Entry.Type.ToString().ToLowerInvariant()}.");
    }

}
