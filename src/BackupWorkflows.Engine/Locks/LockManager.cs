using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Persistence.Records;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Locks;

/// <summary>
/// Durable named locks and counting semaphores kept as database rows, so they survive restarts
/// and are shared by every node on the database. A request is a claim row; its id orders the
/// requests, and a claim is granted only when fewer than <c>limit</c> claims are granted or
/// ahead of it (first come, first served). Grant decisions for one name are serialised by
/// updating that name's row first in the same transaction (a row lock on PostgreSQL, the write
/// lock on SQLite), so two nodes never both take the last slot.
/// </summary>
internal sealed class LockManager(EngineDatabase database, WorkflowEngineOptions options, TimeProvider time)
{
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Takes a slot of <paramref name="name"/> for the instance, waiting in order. Idempotent per
    /// (name, instance): a claim that exists (e.g. from before a restart) is reused.
    /// <paramref name="onWaiting"/> runs once when the claim has to wait. <paramref name="limit"/> (0 = closed) is
    /// read again before every grant decision, so a limit that changes while claims wait (a setting)
    /// takes effect at the next poll; a slot already granted is never taken back.
    /// </summary>
    public async Task<long> AcquireAsync(string instanceId, string name, Func<CancellationToken, ValueTask<int>> limit,
        Func<Task>? onWaiting, CancellationToken cancellationToken)
    {
        var first = await LimitAsync(limit, cancellationToken);
        var claimId = await EnsureClaimAsync(instanceId, name, first, cancellationToken);
        var waited = false;
        while (true)
        {
            var released = _released.Task;
            if (await TryGrantAsync(claimId, name, waited ? await LimitAsync(limit, cancellationToken) : first, cancellationToken)) return claimId;
            if (!waited && onWaiting is not null) await onWaiting();
            waited = true;
            // Local releases wake at once; releases on other nodes are seen at the next poll.
            await Task.WhenAny(released, Task.Delay(options.LockPollInterval, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static async ValueTask<int> LimitAsync(Func<CancellationToken, ValueTask<int>> limit, CancellationToken ct)
    {
        var value = await limit(ct);
        // 0 is a closed gate (nobody gets a slot until the limit is raised); below that is a mistake.
        return value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(limit), value, "A lock's limit must not be negative.");
    }

    /// <summary>Releases one claim (a handle disposed early).</summary>
    public async Task ReleaseAsync(long claimId)
    {
        await using var db = await database.CreateAsync();
        await db.LockClaims.Where(c => c.Id == claimId).ExecuteDeleteAsync();
        Signal();
    }

    /// <summary>Releases every claim of the instance (finish, fault, cancel).</summary>
    public async Task ReleaseAllAsync(string instanceId)
    {
        await using var db = await database.CreateAsync();
        if (await db.LockClaims.Where(c => c.InstanceId == instanceId).ExecuteDeleteAsync() > 0) Signal();
    }

    private void Signal() => Interlocked.Exchange(ref _released,
        new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task<long> EnsureClaimAsync(string instanceId, string name, int limit, CancellationToken ct)
    {
        await using var db = await database.CreateAsync(ct);
        var existing = await db.LockClaims.FirstOrDefaultAsync(c => c.Name == name && c.InstanceId == instanceId, ct);
        if (existing is not null) return existing.Id;
        var claim = new LockClaimRecord
        {
            Name = name, InstanceId = instanceId, Limit = limit, RequestedAt = EngineDatabase.Ms(time.GetUtcNow()),
        };
        db.LockClaims.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return claim.Id;
        }
        catch (DbUpdateException)
        {
            // Inserted concurrently by another branch of the same instance.
            await using var again = await database.CreateAsync(ct);
            return (await again.LockClaims.FirstAsync(c => c.Name == name && c.InstanceId == instanceId, ct)).Id;
        }
    }

    private async Task<bool> TryGrantAsync(long claimId, string name, int limit, CancellationToken ct)
    {
        await using var db = await database.CreateAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Serialise decisions for this name: the first statement is a write to its row.
        if (await db.LockNames.Where(n => n.Name == name).ExecuteUpdateAsync(s => s.SetProperty(n => n.Version, n => n.Version + 1), ct) == 0)
        {
            db.LockNames.Add(new LockNameRecord { Name = name, Version = 1 });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException)
            {
                // Another node created the row at the same moment; start over on a fresh transaction.
                return false;
            }
        }
        var mine = await db.LockClaims.FirstOrDefaultAsync(c => c.Id == claimId, ct)
            ?? throw new InvalidOperationException($"Lock claim {claimId} on '{name}' vanished (the instance ended).");
        if (mine.Granted) return true;
        var ahead = await db.LockClaims.CountAsync(c => c.Name == name && c.Id != claimId && (c.Granted || c.Id < claimId), ct);
        if (ahead >= limit) return false;
        await db.LockClaims.Where(c => c.Id == claimId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Granted, true).SetProperty(c => c.GrantedAt, EngineDatabase.Ms(time.GetUtcNow())), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}

/// <summary>A lock taken through the activity context; disposing releases it before the instance ends.</summary>
internal sealed class LockHandle(LockManager locks, long claimId) : IAsyncDisposable
{
    private int _released;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) await locks.ReleaseAsync(claimId);
    }
}
