using System.Globalization;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Backup.Jobs;

/// <summary>A setting with its current value, for <c>GET /api/settings</c>.</summary>
public sealed record SettingValue(string Name, string Value, string Default, string Kind, string Description);

/// <summary>
/// Reads and changes settings. Every read goes to the table, so a change applies to the next
/// job, check or attempt while the service runs.
/// </summary>
public sealed class BackupSettings(BackupDbContext db, TimeProvider time)
{
    /// <summary>All settings with their current values.</summary>
    public async Task<IReadOnlyList<SettingValue>> ListAsync(CancellationToken ct = default)
    {
        var rows = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Value, ct);
        return [.. SettingDefinitions.All.Select(d => new SettingValue(d.Name, rows.GetValueOrDefault(d.Name, d.Default), d.Default, d.Kind, d.Description))];
    }

    /// <summary>Current value of one setting as text.</summary>
    /// <exception cref="BackupInputException">Unknown setting.</exception>
    public async Task<string> GetAsync(string name, CancellationToken ct = default)
    {
        var def = SettingDefinitions.Find(name) ?? throw new BackupInputException($"there is no setting '{name}'");
        var row = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
        return row?.Value ?? def.Default;
    }

    /// <summary>A numeric setting.</summary>
    public async Task<double> GetNumberAsync(string name, CancellationToken ct = default) =>
        double.Parse(await GetAsync(name, ct), CultureInfo.InvariantCulture);

    /// <summary>A boolean setting.</summary>
    public async Task<bool> GetBoolAsync(string name, CancellationToken ct = default) =>
        bool.Parse(await GetAsync(name, ct));

    /// <summary>Changes a setting after checking its kind and range; returns the stored value.</summary>
    /// <exception cref="BackupInputException">Unknown setting or a value of the wrong kind or range.</exception>
    public async Task<SettingValue> SetAsync(string name, string value, CancellationToken ct = default)
    {
        var def = SettingDefinitions.Find(name) ?? throw new BackupInputException($"there is no setting '{name}'");
        var normalized = Normalize(def, value.Trim());
        var row = await db.Settings.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (row is null) db.Settings.Add(row = new SettingRecord { Name = name, Value = normalized });
        row.Value = normalized;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return new SettingValue(def.Name, normalized, def.Default, def.Kind, def.Description);
    }

    private static string Normalize(SettingDefinition def, string value)
    {
        switch (def.Kind)
        {
            case "bool":
                return bool.TryParse(value, out var b) ? (b ? "true" : "false")
                    : throw new BackupInputException($"{def.Name} must be true or false, not '{value}'");
            default:
                var integral = def.Kind == "int";
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    || (integral && d != Math.Floor(d)) || double.IsNaN(d) || double.IsInfinity(d))
                    throw new BackupInputException($"{def.Name} must be {(integral ? "a whole number" : "a number")}, not '{value}'");
                if (d < def.Minimum)
                    throw new BackupInputException($"{def.Name} must be at least {def.Minimum.ToString(CultureInfo.InvariantCulture)}");
                return d.ToString(CultureInfo.InvariantCulture);
        }
    }
}
