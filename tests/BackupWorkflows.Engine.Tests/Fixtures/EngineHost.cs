using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Journal;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Databases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Engine.Tests.Fixtures;

/// <summary>A started engine (generic host with the hosted service) on a real database.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string? _sqliteFile;

    private EngineHost(IHost host, string? sqliteFile)
    {
        _host = host;
        _sqliteFile = sqliteFile;
    }

    public IServiceProvider Services => _host.Services;
    public IWorkflowDefinitionStore Store => Services.GetRequiredService<IWorkflowDefinitionStore>();
    public IWorkflowRuntime Runtime => Services.GetRequiredService<IWorkflowRuntime>();
    public IWorkflowInstanceQueries Queries => Services.GetRequiredService<IWorkflowInstanceQueries>();
    public IWorkflowEvents Events => Services.GetRequiredService<IWorkflowEvents>();

    /// <summary>Starts an engine; <paramref name="connection"/> null means a fresh SQLite file.</summary>
    public static async Task<EngineHost> StartAsync(string provider, PostgresCluster? postgres = null,
        Action<WorkflowEngineOptions>? configure = null, Action<IServiceCollection>? services = null, string? connection = null)
    {
        string? file = null;
        if (connection is null && provider == "sqlite")
        {
            file = Path.Combine(Path.GetTempPath(), $"bwf-engine-{Guid.NewGuid():N}.db");
            connection = $"Data Source={file}";
        }
        connection ??= postgres!.NewDatabase();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWorkflowEngine(o =>
        {
            if (provider == "sqlite") o.UseSqlite(connection);
            else o.UsePostgres(connection);
            o.AddActivitiesFrom(typeof(EngineHost).Assembly);
            o.NodeId = "test-node";
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.LockPollInterval = TimeSpan.FromMilliseconds(50);
            o.ProgressInterval = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new EngineHost(host, file);
    }

    public static IEnumerable<object[]> Providers => [["sqlite"], ["postgres"]];

    /// <summary>Saves and publishes a definition given as JSON.</summary>
    public async Task<WorkflowDefinition> PublishAsync(string json) => (await Store.ImportAsync(json, publish: true)).Definition;

    /// <summary>Starts and waits for the end (Finished/Faulted/Cancelled) with a deadline.</summary>
    public async Task<WorkflowInstanceInfo> RunAsync(string definitionId, JsonObject? input = null, int timeoutSeconds = 30)
    {
        var id = await Runtime.StartAsync(definitionId, input);
        return await WaitAsync(id, timeoutSeconds: timeoutSeconds);
    }

    public async Task<WorkflowInstanceInfo> WaitAsync(string id, bool untilIdle = false, int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await Runtime.WaitAsync(id, untilIdle, cts.Token);
    }

    public Task<IReadOnlyList<JournalEntry>> JournalAsync(string id) => Queries.GetJournalAsync(id);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (_sqliteFile is not null)
            foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
                File.Delete(f);
    }
}
