using System.Collections.Concurrent;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Runtime.Execution;

/// <summary>
/// Latest progress per activity of one running instance. Every report is visible at once
/// in-process (queries, events); the database is written at most once per
/// <see cref="WorkflowEngineOptions.ProgressInterval"/> per activity, plus a final flush when the
/// activity ends, so a chatty activity cannot flood the database.
/// </summary>
internal sealed class ProgressTracker(EngineServices services, string instanceId, string definitionId)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyList<ActivityProgress> Current => _entries.Values.Select(e => e.Latest).ToList();

    public void Report(string activityId, long done, long total, string? message)
    {
        var now = services.Time.GetUtcNow();
        var entry = _entries.GetOrAdd(activityId, _ => new Entry());
        var progress = new ActivityProgress(instanceId, activityId, done, total, message, now);
        bool persist;
        lock (entry)
        {
            entry.Latest = progress;
            entry.Dirty = true;
            persist = now - entry.PersistedAt >= services.Options.ProgressInterval;
        }
        // At most one write per activity at a time; a report arriving meanwhile is caught by the next write or the flush.
        persist = persist && entry.WriteLock.Wait(0);
        services.Events.Publish(new WorkflowEvent
        {
            Kind = WorkflowEventKind.Progress, InstanceId = instanceId, DefinitionId = definitionId, Timestamp = now,
            ActivityId = activityId, Done = done, Total = total, Message = message,
        });
        if (persist) _ = PersistAsync(entry);
    }

    /// <summary>Writes the latest value of an activity if it changed since the last write.</summary>
    public async Task FlushAsync(string activityId)
    {
        if (!_entries.TryGetValue(activityId, out var entry)) return;
        await entry.WriteLock.WaitAsync();
        bool dirty;
        lock (entry) dirty = entry.Dirty;
        if (dirty) await PersistAsync(entry);
        else entry.WriteLock.Release();
    }

    /// <summary>Writes the latest value; the caller holds <see cref="Entry.WriteLock"/>, released here.</summary>
    private async Task PersistAsync(Entry entry)
    {
        ActivityProgress p;
        lock (entry)
        {
            p = entry.Latest;
            entry.Dirty = false;
        }
        try
        {
            await using var db = await services.Database.CreateAsync();
            var at = EngineDatabase.Ms(p.UpdatedAt);
            var updated = await db.Progress.Where(r => r.InstanceId == p.InstanceId && r.ActivityId == p.ActivityId)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Done, p.Done).SetProperty(r => r.Total, p.Total)
                    .SetProperty(r => r.Message, p.Message).SetProperty(r => r.UpdatedAt, at));
            if (updated == 0)
            {
                db.Progress.Add(new ProgressRecord
                {
                    InstanceId = p.InstanceId, ActivityId = p.ActivityId, Done = p.Done, Total = p.Total, Message = p.Message, UpdatedAt = at,
                });
                await db.SaveChangesAsync();
            }
        }
        catch (Exception e)
        {
            services.LoggerFactory.CreateLogger<ProgressTracker>().LogWarning(e, "Could not persist progress of {Instance}/{Activity}", p.InstanceId, p.ActivityId);
        }
        finally
        {
            lock (entry) entry.PersistedAt = services.Time.GetUtcNow();
            entry.WriteLock.Release();
        }
    }

    private sealed class Entry
    {
        public ActivityProgress Latest = null!;
        public bool Dirty;
        public readonly SemaphoreSlim WriteLock = new(1, 1);
        public DateTimeOffset PersistedAt = DateTimeOffset.MinValue;
    }
}
