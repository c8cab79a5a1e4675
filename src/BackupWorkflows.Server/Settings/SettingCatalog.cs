using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Settings;

/// <summary>A setting the server knows: its default, what it means and how a value is checked.</summary>
/// <param name="Name">Dotted name.</param>
/// <param name="Default">Value when unset.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Check">Returns an error message for a bad value, null for a good one.</param>
public sealed record SettingDefinition(string Name, string Default, string Description, Func<string, string?> Check);

/// <summary>The known settings and their current values. Unknown names are refused.</summary>
public sealed class SettingCatalog(ServerDbContext db, TimeProvider time)
{
    /// <summary>What a schedule does about firings missed while no node was running.</summary>
    public const string MisfirePolicy = "schedules.misfirePolicy";

    /// <summary>How many backups a schedule without <c>keep</c> keeps per VM (0 = all).</summary>
    public const string DefaultKeep = "schedules.defaultKeep";

    /// <summary>Seconds a validation waits for the restored guest to boot.</summary>
    public const string ValidationBootTimeout = "validation.bootTimeoutSeconds";

    /// <summary>Every known setting.</summary>
    public static readonly IReadOnlyList<SettingDefinition> Definitions =
    [
        new(MisfirePolicy, "run-once",
            "Firings missed while no server ran: 'run-once' runs one catch-up backup at start, 'skip' waits for the next firing.",
            v => v is "run-once" or "skip" ? null : "must be 'run-once' or 'skip'."),
        new(DefaultKeep, "0", "Backups kept per VM by schedules that do not say 'keep' (0 = keep all).",
            v => int.TryParse(v, out var n) && n is >= 0 and <= 10000 ? null : "must be an integer from 0 to 10000."),
        new(ValidationBootTimeout, "120", "Seconds a validation waits for the restored guest to boot.",
            v => int.TryParse(v, out var n) && n is >= 10 and <= 3600 ? null : "must be an integer from 10 to 3600."),
    ];

    /// <summary>Current value of a known setting.</summary>
    public async Task<string> GetAsync(string name, CancellationToken ct)
    {
        var definition = Find(name);
        return (await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct))?.Value ?? definition.Default;
    }

    /// <summary>Every setting with its value.</summary>
    public async Task<IReadOnlyList<(SettingDefinition Definition, string Value)>> ListAsync(CancellationToken ct)
    {
        var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Value, ct);
        return [.. Definitions.Select(d => (d, stored.GetValueOrDefault(d.Name, d.Default)))];
    }

    /// <summary>Checks and stores a value.</summary>
    /// <exception cref="NotFoundException">Unknown setting.</exception>
    /// <exception cref="InputException">Bad value.</exception>
    public async Task SetAsync(string name, string? value, CancellationToken ct)
    {
        var definition = Find(name);
        if (value is null) throw new InputException("value", "is required.");
        if (definition.Check(value) is { } error) throw new InputException("value", error);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (row is null) db.Settings.Add(new SettingRecord { Name = name, Value = value, UpdatedAt = time.GetUtcNow() });
        else { row.Value = value; row.UpdatedAt = time.GetUtcNow(); }
        await db.SaveChangesAsync(ct);
    }

    private static SettingDefinition Find(string name) =>
        Definitions.FirstOrDefault(d => d.Name == name)
        ?? throw new NotFoundException($"No setting named '{name}'. Known: {string.Join(", ", Definitions.Select(d => d.Name))}.");
}
