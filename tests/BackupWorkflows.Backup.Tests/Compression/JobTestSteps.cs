using System.Diagnostics;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Compression;

/// <summary>Steps the job, validation and quick-restore tests share.</summary>
internal static class JobTestSteps
{
    /// <summary>Changes the offering "standard".</summary>
    public static Task ConfigureOfferingAsync(this BackupHarness h, Action<Offering> change) => h.WithDbAsync(async db =>
    {
        change(await db.Offerings.SingleAsync(o => o.Name == "standard"));
        await db.SaveChangesAsync();
    });

    /// <summary>Changes a setting through the settings service.</summary>
    public static async Task SetAsync(this BackupHarness h, string name, string value)
    {
        await using var scope = h.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BackupSettings>().SetAsync(name, value);
    }

    /// <summary>Jobs matching a filter.</summary>
    public static async Task<IReadOnlyList<Job>> JobsAsync(this BackupHarness h, JobFilter filter)
    {
        await using var scope = h.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<JobQueries>().ListAsync(filter);
    }

    /// <summary>Polls (real processes work meanwhile) until <paramref name="condition"/> holds.</summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (watch.Elapsed > limit) throw new TimeoutException($"{what} not reached within {limit}; last: {value}");
            await Task.Delay(100);
        }
    }

    /// <summary>One backup record.</summary>
    public static async Task<BackupRecord> BackupAsync(this BackupHarness h, Guid id)
    {
        await using var scope = h.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BackupWorkflows.Backup.Catalog.BackupCatalog>().GetAsync(id);
    }
}
