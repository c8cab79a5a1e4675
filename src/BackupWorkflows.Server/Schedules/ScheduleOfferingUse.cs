using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Schedules;

/// <summary>Schedules hold offerings by name: an offering with schedules is not deleted.</summary>
internal sealed class ScheduleOfferingUse(ServerDbContext db) : IOfferingUse
{
    public async Task<string?> RefusalAsync(string offering, CancellationToken ct) =>
        await db.Schedules.AnyAsync(s => s.OfferingName == offering, ct)
            ? $"Offering '{offering}' has schedules; delete them first." : null;
}
