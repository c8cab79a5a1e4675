using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Hosting;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine;
using BackupWorkflows.Engine.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Benchmarks;

/// <summary>The engine and backup domain on SQLite in a scratch directory, host "h1" local, repository "r1".</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchHost(IHost host, string directory) { _host = host; Directory = directory; }

    public string Directory { get; }

    public IWorkflowRuntime Runtime => _host.Services.GetRequiredService<IWorkflowRuntime>();

    public static async Task<BenchHost> StartAsync(string vm)
    {
        var directory = Path.Combine("/var/tmp/bwf-bench", Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWorkflowEngine(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(directory, "bwf.db")}");
            o.AddActivitiesFrom(typeof(BackupServiceCollectionExtensions).Assembly);
        });
        builder.Services.AddBackupDomain();
        var host = builder.Build();
        await host.StartAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
            db.Hosts.Add(new HostRecord { Name = "h1", Uri = "local", StagingDir = Path.Combine(directory, "staging") });
            db.Repositories.Add(new RepositoryRecord { Name = "r1", Path = Path.Combine(directory, "repo") });
            db.Offerings.Add(new Offering { Name = "bench", AllowQuickRestore = true });
            db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "h1", OfferingName = "bench", RepositoryName = "r1" });
            await db.SaveChangesAsync();
        }
        return new BenchHost(host, directory);
    }

    public async Task<WorkflowInstanceInfo> RunAsync(string workflow, JsonObject input) =>
        await Runtime.WaitAsync(await Runtime.StartAsync(workflow, input));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }
}
