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
        bool due;
        lock (entry)
        {
            entry.Latest = progress;
            entry.Dirty = true;
            due = now - entry.PersistedAt >= services.Options.ProgressInterval;
            if (due)
            {
                entry.Requested = true;
                entry.PersistedAt = now; // the interval counts from the decision to write, so reports during the write wait
            }
        }
        services.Events.Publish(new WorkflowEvent
        {
            Kind = WorkflowEventKind.Progress, InstanceId = instanceId, DefinitionId = definitionId, Timestamp = now,
            ActivityId = activityId, Done = done, Total = total, Message = message,
        });
        if (due) TryStartWriter(entry);
    }

    /// <summary>Writes the latest value of an activity if it changed since the last write (activity end).</summary>
    public async Task FlushAsync(string activityId)
    {
        if (!_entries.TryGetValue(activityId, out var entry)) return;
        await entry.WriteLock.WaitAsync();
        lock (entry) entry.Requested |= entry.Dirty;
        await WriteRequestedAsync(entry);
    }

    // At most one writer per activity. A report that is due while a write is in flight sets
    // Requested; the writer loops until no request is left, and re-checks after releasing the
    // lock so a request made in between is never stranded.
    private void TryStartWriter(Entry entry)
    {
        if (entry.WriteLock.Wait(0)) _ = WriteRequestedAsync(entry);
    }

    /// <summary>Writes while requested; the caller holds <see cref="Entry.WriteLock"/>, released here.</summary>
    private async Task WriteRequestedAsync(Entry entry)
    {
        try
        {
            while (true)
            {
                ActivityProgress p;
                lock (entry)
                {
                    if (!entry.Requested) break;
                    entry.Requested = false;
                    entry.Dirty = false;
                    p = entry.Latest;
                }
                await PersistAsync(p);
            }
        }
        finally { entry.WriteLock.Release(); }
        bool again;
        lock (entry) again = entry.Requested;
        if (again) TryStartWriter(entry);
    }

    private async Task PersistAsync(ActivityProgress p)
    {
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
    }

    private sealed class Entry
    {
        public ActivityProgress Latest = null!;
        public bool Dirty;
        public bool Requested;
        public readonly SemaphoreSlim WriteLock = new(1, 1);
        public DateTimeOffset PersistedAt = DateTimeOffset.MinValue;
    }
}
