using System.Globalization;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.GuestFiles;
using BackupWorkflows.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Workflows;
using Microsoft.Net.Http.Headers;

namespace BackupWorkflows.Server.Apis;

/// <summary>
/// The files of a backup, read on the host that holds its repository (see <see cref="BrowseMount"/>):
/// listing, stat, content (with Range), a directory as tar, and restoring files into a running VM.
/// Operators only: names and contents are the guest's data, which viewers do not see. Only backups whose
/// VM's offering allows file extraction (403 otherwise). Paths use the escaped form listings show
/// (<c>\xNN</c> for bytes that are not printable UTF-8, <c>\\</c> for a backslash).
/// </summary>
public static class BackupFilesApi
{
    /// <summary>Largest page of a listing.</summary>
    public const int MaxLimit = 10000;

    /// <summary>Maps <c>/api/backups/{id}/files…</c>.</summary>
    public static IEndpointRouteBuilder MapBackupFilesApi(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/backups/{id:guid}/files").WithTags("Backup files").RequireAuthorization(Roles.Operator);
        files.MapGet("/", ListAsync).WithName("ListBackupFiles")
            .WithSummary("A directory of a backup's file system (paginated: offset, limit), with the disk's file systems.");
        files.MapGet("/stat", StatAsync).WithName("StatBackupFile").WithSummary("One path of a backup's file system (a symlink itself, not its target).");
        files.MapGet("/content", ContentAsync).WithName("GetBackupFileContent").WithSummary("A regular file's bytes, streamed; Range supported.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream").Produces<Stream>(StatusCodes.Status206PartialContent, "application/octet-stream");
        files.MapGet("/archive", ArchiveAsync).WithName("GetBackupFileArchive").WithSummary("A directory (or file) as a tar stream.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/x-tar");
        files.MapPost("/restore", RestoreAsync).WithName("RestoreBackupFiles")
            .WithSummary("Starts the restore-files workflow: copies paths into a running VM through its guest agent, or onto a directory of the backup's host.");
        return app;
    }

    private static async Task<Ok<BackupFileListingDto>> ListAsync(Guid id, string? volume, string? path, int? offset, int? limit, BackupFiles files, CancellationToken ct)
    {
        if (offset is < 0) throw new InputException("offset", "must be 0 or more.");
        if (limit is < 1 or > MaxLimit) throw new InputException("limit", $"must be from 1 to {MaxLimit}.");
        var components = GuestPath.Parse(path);
        await using var browsed = await files.OpenAsync(id, volume, ct);
        var directory = await browsed.ReadAsync(fs => fs.ResolveAsync(components, followFinal: true, ct));
        var entries = await browsed.ReadAsync(fs => fs.ListAsync(directory, ct));
        var skip = offset ?? 0;
        var take = limit ?? 1000;
        return TypedResults.Ok(new BackupFileListingDto(id, browsed.Volume, directory.Display,
            [.. browsed.Lease.Session.FileSystems.Select(f => new BackupFileSystemDto(f.Name, f.Type, f.Size, f.MountDirectory is not null, f.Problem))],
            entries.Count, skip, take, [.. entries.Skip(skip).Take(take).Select(Dto)]));
    }

    private static async Task<Ok<BackupFileStatDto>> StatAsync(Guid id, string? volume, string? path, BackupFiles files, CancellationToken ct)
    {
        var components = GuestPath.Parse(path);
        await using var browsed = await files.OpenAsync(id, volume, ct);
        var resolved = await browsed.ReadAsync(fs => fs.ResolveAsync(components, followFinal: false, ct));
        return TypedResults.Ok(new BackupFileStatDto(id, browsed.Volume, resolved.Display, Dto(resolved.Entry)));
    }

    private static async Task ContentAsync(Guid id, string? volume, string? path, BackupFiles files, HttpContext http, CancellationToken ct)
    {
        var components = GuestPath.Parse(path);
        await using var browsed = await files.OpenAsync(id, volume, ct);
        var file = await browsed.ReadAsync(fs => fs.ResolveAsync(components, followFinal: true, ct));
        if (file.Entry.Type != GuestEntryType.File)
            throw new InputException("path", $"'{file.Display}' is a {TypeName(file.Entry.Type)}; only regular files have content to read (devices, FIFOs and sockets are never read).");
        var size = file.Entry.Size;
        var (from, length) = Range(http.Request, size);
        var response = http.Response;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = "application/octet-stream";
        response.Headers.ContentDisposition = Attachment(file.Components.Count > 0 ? GuestPath.Escape(file.Components[^1]) : "file");
        response.Headers.LastModified = file.Entry.ModifiedAt.ToString("R", CultureInfo.InvariantCulture);
        if (length < 0)
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{size}";
            return;
        }
        if (length != size || from != 0)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{from + length - 1}/{size}";
        }
        response.ContentLength = length;
        if (length == 0) return;
        await response.StartAsync(ct);
        await browsed.ReadAsync(async fs =>
        {
            await fs.ReadAsync(file, response.Body, from, from == 0 && length == size ? null : length, ct);
            return 0;
        });
    }

    private static async Task ArchiveAsync(Guid id, string? volume, string? path, BackupFiles files, HttpContext http, CancellationToken ct)
    {
        var components = GuestPath.Parse(path);
        await using var browsed = await files.OpenAsync(id, volume, ct);
        var resolved = await browsed.ReadAsync(fs => fs.ResolveAsync(components, followFinal: true, ct));
        if (resolved.Entry.Type is not (GuestEntryType.Directory or GuestEntryType.File))
            throw new InputException("path", $"'{resolved.Display}' is a {TypeName(resolved.Entry.Type)}; only directories and files are archived.");
        var name = resolved.Components.Count > 0 ? GuestPath.Escape(resolved.Components[^1]) : browsed.Volume;
        http.Response.ContentType = "application/x-tar";
        http.Response.Headers.ContentDisposition = Attachment(name + ".tar");
        await http.Response.StartAsync(ct);
        await browsed.ReadAsync(async fs =>
        {
            await fs.ArchiveAsync(resolved, http.Response.Body, ct);
            return 0;
        });
    }

    private static async Task<Accepted<InstanceStarted>> RestoreAsync(Guid id, RestoreFilesRequest request, BackupFiles files,
        WorkflowLauncher launcher, HttpContext http, CancellationToken ct)
    {
        var rules = new Validation.InputRules();
        if (request.Paths is not { Count: > 0 }) rules.Add("paths", "give at least one path.");
        else if (request.Paths.Count > 1000) rules.Add("paths", "at most 1000 paths at once; restore a directory instead.");
        else
            foreach (var p in request.Paths)
            {
                if (string.IsNullOrWhiteSpace(p) || p.Contains('\n') || p.Contains('\r')) { rules.Add("paths", "each path must be non-empty and on one line (escape a newline in a name as \\x0a)."); break; }
                try { GuestPath.Parse(p); } catch (BrowseInputException e) { rules.Add("paths", $"'{p}' {e.Problem}"); break; }
            }
        if (request.ToHostPath is not null)
        {
            if (request.ToVm is not null) rules.Add("toHostPath", "give either toVm (into a running VM) or toHostPath (onto the backup's host), not both.");
            else rules.Directory("toHostPath", request.ToHostPath);
            if (request.TargetDirectory is not null) rules.Add("targetDirectory", "is for a VM target; with toHostPath the files go under that directory.");
        }
        else if (request.ToVm is null) rules.Add("toVm", "is required: the running VM to copy the files into (or give toHostPath, a directory on the backup's host).");
        else rules.VmName("toVm", request.ToVm);
        if (request.TargetDirectory is { } t && (!t.StartsWith('/') || t.Contains('\0') || t.Split('/').Contains("..")))
            rules.Add("targetDirectory", "must be an absolute guest path without '..'.");
        rules.ThrowIfAny();

        await files.RequireBrowsableAsync(id, ct);
        var input = new JsonObject
        {
            ["backupId"] = id.ToString(),
            ["volume"] = request.Volume ?? "",
            ["paths"] = string.Join('\n', request.Paths!),
            ["toVm"] = request.ToVm ?? "",
            ["toHostPath"] = request.ToHostPath ?? "",
            ["targetDirectory"] = request.TargetDirectory ?? "/",
            ["overwrite"] = request.Overwrite == true ? "true" : "false",
        };
        var instance = await launcher.StartAsync("restore-files", input, BackupsApi.IdempotencyKey(http), ct: ct);
        return TypedResults.Accepted($"/api/instances/{instance}", new InstanceStarted(instance));
    }

    /// <summary>The (first) byte range asked for: (start, length); length -1 when it cannot be satisfied; the whole file without a Range header.</summary>
    private static (long From, long Length) Range(HttpRequest request, long size)
    {
        if (!RangeHeaderValue.TryParse(request.Headers.Range.ToString(), out var header) || header.Unit != "bytes" || header.Ranges.Count != 1)
            return (0, size);
        var range = header.Ranges.First();
        if (range.From is { } from)
        {
            if (from >= size) return (0, -1);
            var to = Math.Min(range.To ?? size - 1, size - 1);
            return (from, to - from + 1);
        }
        var suffix = Math.Min(range.To ?? 0, size);
        return suffix <= 0 ? (0, -1) : (size - suffix, suffix);
    }

    private static string Attachment(string name)
    {
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(name);
        return disposition.ToString();
    }

    /// <summary>The type as the API writes it: <c>file</c>, <c>directory</c>, <c>symlink</c>, <c>blockDevice</c>, …</summary>
    private static string TypeName(GuestEntryType type) => char.ToLowerInvariant(type.ToString()[0]) + type.ToString()[1..];

    private static BackupFileEntryDto Dto(GuestEntry e) => new(GuestPath.Escape(e.Name), TypeName(e.Type), e.Size, e.ModeText, e.Uid, e.Gid,
        e.ModifiedAt, e.LinkTarget is null ? null : GuestPath.Escape(e.LinkTarget));
}

/// <summary>One entry of a backup's directory; names and link targets in the escaped form (<c>\xNN</c> for odd bytes).</summary>
/// <param name="Name">Escaped name.</param>
/// <param name="Type">file, directory, symlink, blockDevice, charDevice, fifo, socket or other.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Mode">Permission bits in octal, e.g. 0644.</param>
/// <param name="Uid">Owner's numeric id in the guest.</param>
/// <param name="Gid">Group's numeric id in the guest.</param>
/// <param name="ModifiedAt">Last modification.</param>
/// <param name="Target">A symlink's target, escaped.</param>
public sealed record BackupFileEntryDto(string Name, string Type, long Size, string Mode, long Uid, long Gid, DateTimeOffset ModifiedAt, string? Target);

/// <summary>A file system found on the browsed disk.</summary>
/// <param name="Name">Disk or partition (vda, vda2).</param>
/// <param name="Type">What blkid calls it (ext4, xfs, …).</param>
/// <param name="Size">Bytes.</param>
/// <param name="Browsable">Mounted and readable.</param>
/// <param name="Problem">Why it cannot be browsed.</param>
public sealed record BackupFileSystemDto(string Name, string Type, long Size, bool Browsable, string? Problem);

/// <summary>A page of a backup's directory.</summary>
/// <param name="BackupId">The backup.</param>
/// <param name="Volume">The browsed disk or partition.</param>
/// <param name="Path">The directory, resolved.</param>
/// <param name="FileSystems">The disk's file systems.</param>
/// <param name="Total">Entries in the directory.</param>
/// <param name="Offset">First entry of this page.</param>
/// <param name="Limit">Largest page asked for.</param>
/// <param name="Entries">This page, ordered by name bytes.</param>
public sealed record BackupFileListingDto(Guid BackupId, string Volume, string Path, IReadOnlyList<BackupFileSystemDto> FileSystems, int Total,
    int Offset, int Limit, IReadOnlyList<BackupFileEntryDto> Entries);

/// <summary>One path of a backup's file system.</summary>
/// <param name="BackupId">The backup.</param>
/// <param name="Volume">The browsed disk or partition.</param>
/// <param name="Path">The path, resolved.</param>
/// <param name="Entry">What is there (a symlink itself).</param>
public sealed record BackupFileStatDto(Guid BackupId, string Volume, string Path, BackupFileEntryDto Entry);

/// <summary>Body of <c>POST /api/backups/{id}/files/restore</c>.</summary>
/// <param name="Paths">Paths in the backed-up file system (escaped form), files or directories.</param>
/// <param name="ToVm">Running VM on the backup's host to copy them into.</param>
/// <param name="Volume">File system (vda, vda2); empty for the only disk.</param>
/// <param name="TargetDirectory">Guest directory they go under, at their backed-up paths (default <c>/</c>).</param>
/// <param name="Overwrite">Replace existing files (default false: refuse, writing nothing).</param>
/// <param name="ToHostPath">Instead of a VM: an absolute directory on the backup's host (the repository's host) they go under, at their backed-up paths, with owners, modes, times and symlinks kept (not '/', a top-level or a system directory).</param>
public sealed record RestoreFilesRequest(IReadOnlyList<string>? Paths, string? ToVm, string? Volume, string? TargetDirectory, bool? Overwrite,
    string? ToHostPath = null);
