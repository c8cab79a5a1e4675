using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Validation;

/// <summary>One level's result without the screenshot bytes.</summary>
public sealed record ValidationSummary(Guid Id, Guid BackupId, string Level, ValidationResult Result, string? Detail,
    bool HasScreenshot, string? InstanceId, DateTimeOffset At);

/// <summary>Read side of validations, for the API (<c>GET /api/backups/{id}/screenshot</c>).</summary>
public sealed class ValidationQueries(BackupDbContext db)
{
    /// <summary>All level results of a backup, newest first.</summary>
    public async Task<IReadOnlyList<ValidationSummary>> ListAsync(Guid backupId, CancellationToken ct = default)
    {
        var rows = await db.Validations.AsNoTracking().Where(v => v.BackupId == backupId)
            .Select(v => new ValidationSummary(v.Id, v.BackupId, v.Level, v.Result, v.Detail, v.Screenshot != null, v.InstanceId, v.At))
            .ToListAsync(ct);
        return [.. rows.OrderByDescending(v => v.At)];
    }

    /// <summary>PNG of the latest boot test's console of the backup, or null when none was taken.</summary>
    public async Task<byte[]?> LatestScreenshotAsync(Guid backupId, CancellationToken ct = default)
    {
        var rows = await db.Validations.AsNoTracking()
            .Where(v => v.BackupId == backupId && v.Screenshot != null)
            .Select(v => new { v.At, v.Screenshot }).ToListAsync(ct);
        return rows.OrderByDescending(r => r.At).FirstOrDefault()?.Screenshot;
    }
}
