using System.Globalization;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BackupWorkflows.Backup.Settings;

/// <summary>A setting with its current value, for <c>GET /api/settings</c>.</summary>
/// <param name="Definition">What the setting is.</param>
/// <param name="Value">Its value now (the default when none is stored).</param>
public sealed record SettingValue(SettingDefinition Definition, string Value);

/// <summary>A setting that does not exist, or a value it does not allow. The message says which and why, in user terms.</summary>
/// <param name="message">Shown to the user.</param>
/// <param name="unknown">True when no setting has the name.</param>
public sealed class SettingException(string message, bool unknown) : Exception(message)
{
    /// <summary>True when no setting has the name (404), false for a refused value (400).</summary>
    public bool Unknown { get; } = unknown;
}

/// <summary>
/// Reads and changes the settings of <see cref="SettingCatalog"/>. Every read goes to the table, so a
/// change applies to the next job, check or attempt while the service runs.
/// </summary>
/// <remarks>
/// A stored value the catalog does not allow (written by an older version, or by hand) is never
/// used: it reads as the default, with a warning in the log. A setting must not be able to stop the
/// service: the API that could change it back would be gone with it.
/// </remarks>
public sealed class BackupSettings(BackupDbContext db, TimeProvider time, ILogger<BackupSettings>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<BackupSettings>.Instance;

    /// <summary>All settings with their current values.</summary>
    public async Task<IReadOnlyList<SettingValue>> ListAsync(CancellationToken ct = default)
    {
        var rows = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Value, ct);
        return [.. SettingCatalog.All.Select(d => new SettingValue(d, Usable(d, rows.GetValueOrDefault(d.Name))))];
    }

    /// <summary>Current value of one setting as canonical text.</summary>
    /// <exception cref="SettingException">Unknown setting.</exception>
    public async Task<string> GetAsync(string name, CancellationToken ct = default)
    {
        var definition = Definition(name);
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
        return Usable(definition, row?.Value);
    }

    /// <summary>A <see cref="SettingKind.Number"/> or <see cref="SettingKind.Integer"/> setting.</summary>
    public async Task<double> GetNumberAsync(string name, CancellationToken ct = default) =>
        double.Parse(await GetAsync(name, ct), CultureInfo.InvariantCulture);

    /// <summary>An <see cref="SettingKind.Integer"/> setting.</summary>
    public async Task<int> GetIntAsync(string name, CancellationToken ct = default) =>
        int.Parse(await GetAsync(name, ct), CultureInfo.InvariantCulture);

    /// <summary>A <see cref="SettingKind.Boolean"/> setting.</summary>
    public async Task<bool> GetBoolAsync(string name, CancellationToken ct = default) =>
        bool.Parse(await GetAsync(name, ct));

    /// <summary>A <see cref="SettingKind.Duration"/> setting.</summary>
    public async Task<TimeSpan> GetDurationAsync(string name, CancellationToken ct = default) =>
        Definition(name).Unit * await GetNumberAsync(name, ct);

    /// <summary>Checks a value against the setting's kind and range and stores its canonical text.</summary>
    /// <exception cref="SettingException">Unknown setting, or a value it does not allow (nothing is stored).</exception>
    public async Task<SettingValue> SetAsync(string name, string? value, CancellationToken ct = default)
    {
        var definition = Definition(name);
        var (canonical, error) = definition.Check(value);
        if (error is not null) throw new SettingException(error, unknown: false);
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (row is null) db.Settings.Add(row = new SettingRecord { Name = name, Value = canonical! });
        row.Value = canonical!;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new SettingValue(definition, canonical!);
    }

    /// <summary>The definition of a known setting.</summary>
    /// <exception cref="SettingException">Unknown setting (the message names a renamed one's new name).</exception>
    public static SettingDefinition Definition(string name) =>
        SettingCatalog.Find(name) ?? throw new SettingException(
            SettingCatalog.FormerNames.TryGetValue(name, out var now)
                ? $"The setting '{name}' is now called '{now}'."
                : $"There is no setting '{name}'. Settings: {string.Join(", ", SettingCatalog.All.Select(d => d.Name))}.",
            unknown: true);

    private string Usable(SettingDefinition definition, string? stored)
    {
        if (stored is null) return definition.Default;
        var (canonical, error) = definition.Check(stored);
        if (error is null) return canonical!;
        _logger.LogWarning("Stored setting {Setting} is not allowed ({Error}); using its default {Default}", definition.Name, error, definition.Default);
        return definition.Default;
    }
}
