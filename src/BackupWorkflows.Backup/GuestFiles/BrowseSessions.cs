using System.Text.RegularExpressions;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosts;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Engine;
using BackupWorkflows.Kvm.Hosts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.GuestFiles;

/// <summary>
/// The open browse sessions of this server node: opened on the first request for a backed-up disk,
/// shared while users browse, closed after <c>files.browse.idle.timeout.seconds</c> unused, when a
/// host command on one fails, and at shutdown; at most <c>files.browse.max.sessions.per.host</c> per host.
/// At start, whatever an earlier process of this node left on any host (it crashed or was killed) is
/// removed from the node's run directory.
/// </summary>
/// <remarks>Each node has its own run directory (<see cref="RunDirectory"/>, named by the engine's node id),
/// so a node cleaning up at start never touches the sessions of another node on a shared host.</remarks>
public sealed partial class BrowseSessions(
    HostConnections hosts, IServiceScopeFactory scopes, WorkflowEngineOptions engine, TimeProvider time, ILogger<BrowseSessions> logger)
    : BackgroundService
{
    /// <summary>Parent of every node's run directory on the hosts.</summary>
    public const string RunRoot = "/run/bwf-browse";

    private readonly Dictionary<string, Task<BrowseSession>> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>This node's run directory on every host.</summary>
    public string RunDirectory { get; } = $"{RunRoot}/{SafeName().Replace(engine.NodeId, "_")}";

    /// <summary>Sessions open now (for tests and diagnostics).</summary>
    public IReadOnlyList<BrowseSession> Open
    {
        get
        {
            lock (_gate) return [.. _sessions.Values.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)];
        }
    }

    /// <summary>
    /// A lease on the session for one disk of one backup, opening it when none is open. Dispose the lease
    /// when the request ends; call <see cref="BrowseLease.Fail"/> first when a host command on it failed.
    /// </summary>
    /// <exception cref="DomainConflictException">The host has its maximum of sessions, all in use.</exception>
    /// <exception cref="HostCommandException">The disk could not be made browsable (nothing is left behind).</exception>
    public async Task<BrowseLease> AcquireAsync(HostRecord host, BackupRecord backup, BackupVolume volume, CancellationToken ct)
    {
        var key = $"{host.Name}/{backup.Id:N}/{volume.Target}";
        var (limit, _) = await LimitsAsync(ct);
        Task<BrowseSession> opening;
        BrowseSession? evict = null;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(key, out opening!) || opening.IsFaulted || opening.IsCanceled)
            {
                var onHost = _sessions.Where(s => s.Key.StartsWith(host.Name + "/", StringComparison.Ordinal)).ToList();
                if (onHost.Count >= limit)
                {
                    evict = onHost.Where(s => s.Value.IsCompletedSuccessfully && s.Value.Result.Active == 0)
                        .Select(s => s.Value.Result).MinBy(s => s.LastUsed)
                        ?? throw new DomainConflictException(
                            $"host '{host.Name}' already has {limit} browse session(s) open and in use ({SettingCatalog.FilesBrowseMaxSessionsPerHost}); try again shortly.");
                    _sessions.Remove(evict.Key);
                }
                opening = OpenAsync(key, host, volume);
                _sessions[key] = opening;
            }
        }

        if (evict is not null) await CloseAsync(evict);
        BrowseSession session;
        try
        {
            session = await opening.WaitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_gate) if (_sessions.TryGetValue(key, out var t) && t == opening) _sessions.Remove(key);
            throw;
        }
        session.Enter();
        return new BrowseLease(this, session);
    }

    /// <summary>Removes everything of this node's run directory on the host behind <paramref name="shell"/> (its sessions and leftovers).</summary>
    public Task CleanHostAsync(IHostShell shell, CancellationToken ct) => BrowseMount.CleanAsync(shell, RunDirectory, ct);

    internal async Task ReleaseAsync(BrowseSession session)
    {
        session.Leave(time.GetTimestamp());
        if (!session.Broken || session.Active > 0) return;
        lock (_gate)
        {
            if (!_sessions.TryGetValue(session.Key, out var t) || !t.IsCompletedSuccessfully || t.Result != session) return;
            _sessions.Remove(session.Key);
        }
        await CloseAsync(session);
    }

    private async Task<BrowseSession> OpenAsync(string key, HostRecord host, BackupVolume volume)
    {
        await Task.Yield();
        var shell = hosts.ShellFor(host);
        var directory = $"{RunDirectory}/{Guid.NewGuid().ToString("N")[..12]}";
        // Not the request's token: a session another request waits for must not die with the first one.
        var (device, fileSystems) = await BrowseMount.OpenAsync(shell, directory, volume.ImagePath, volume.Target, CancellationToken.None);
        logger.LogInformation("Browse session {Key} opened on {Host} in {Directory}: {FileSystems}", key, host.Name, directory,
            string.Join(", ", fileSystems.Select(f => $"{f.Name} ({f.Type}{(f.Problem is null ? "" : ": " + f.Problem)})")));
        return new BrowseSession(key, host.Name, shell, directory, device, fileSystems, time.GetTimestamp());
    }

    private async Task CloseAsync(BrowseSession session)
    {
        try
        {
            await BrowseMount.CleanAsync(session.Shell, session.Directory, CancellationToken.None);
            logger.LogInformation("Browse session {Key} closed", session.Key);
        }
        catch (Exception e) when (e is HostCommandException)
        {
            logger.LogWarning(e, "Browse session {Key} could not be closed on {Host}; the next start removes it", session.Key, session.HostName);
        }
    }

    private async Task<(int Limit, TimeSpan Idle)> LimitsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<BackupSettings>();
        return (await settings.GetIntAsync(SettingCatalog.FilesBrowseMaxSessionsPerHost, ct),
            await settings.GetDurationAsync(SettingCatalog.FilesBrowseIdleTimeoutSeconds, ct));
    }

    /// <summary>Removes leftovers of an earlier process on every host, then closes idle sessions every second.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await CleanLeftoversAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CloseIdleAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Closing idle browse sessions failed; trying again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Closes every session at shutdown.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<BrowseSession> open;
        lock (_gate)
        {
            open = [.. _sessions.Values.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)];
            _sessions.Clear();
        }
        await Task.WhenAll(open.Select(CloseAsync));
    }

    private async Task CloseIdleAsync(CancellationToken ct)
    {
        List<BrowseSession> idle;
        lock (_gate)
        {
            if (_sessions.Count == 0) return;
        }
        var (_, timeout) = await LimitsAsync(ct);
        lock (_gate)
        {
            idle = [.. _sessions.Values.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)
                .Where(s => s.Active == 0 && time.GetElapsedTime(s.LastUsed) >= timeout)];
            foreach (var s in idle) _sessions.Remove(s.Key);
        }
        foreach (var s in idle) await CloseAsync(s);
    }

    private async Task CleanLeftoversAsync(CancellationToken ct)
    {
        List<HostRecord> all;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            all = await scope.ServiceProvider.GetRequiredService<BackupDbContext>().Hosts.AsNoTracking().ToListAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not list hosts to remove leftover browse sessions");
            return;
        }
        await Task.WhenAll(all.Select(async h =>
        {
            try
            {
                await CleanHostAsync(hosts.ShellFor(h), ct);
            }
            catch (HostCommandException e)
            {
                logger.LogWarning("Leftover browse sessions on host {Host} could not be removed: {Error}", h.Name, e.Message);
            }
        }));
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex SafeName();
}

/// <summary>One request's use of a <see cref="BrowseSession"/>; dispose it when the request ends.</summary>
public sealed class BrowseLease : IAsyncDisposable
{
    private readonly BrowseSessions _owner;
    private int _disposed;

    internal BrowseLease(BrowseSessions owner, BrowseSession session)
    {
        _owner = owner;
        Session = session;
    }

    /// <summary>The session.</summary>
    public BrowseSession Session { get; }

    /// <summary>A host command on the session failed: it is closed (and reopened by the next request).</summary>
    public void Fail() => Session.Broken = true;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await _owner.ReleaseAsync(Session);
    }
}
