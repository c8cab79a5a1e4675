using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Hosting;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine;
using BackupWorkflows.Engine.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BackupWorkflows.Backup.Tests.Fixtures;

/// <summary>
/// The real engine and backup domain on a SQLite file in a scratch directory, with one host
/// (local or ssh), a staging directory, a repository and an offering registered.
/// </summary>
public sealed class BackupHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private BackupHarness(IHost host, string directory, string hostName)
    {
        _host = host;
        Directory = directory;
        HostName = hostName;
    }

    /// <summary>Scratch directory holding database, staging and repository.</summary>
    public string Directory { get; }

    /// <summary>Registered host's name.</summary>
    public string HostName { get; }

    /// <summary>Repository path.</summary>
    public string RepositoryPath => Path.Combine(Directory, "repo");

    /// <summary>Staging path.</summary>
    public string StagingPath => Path.Combine(Directory, "staging");

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts engine and domain; registers host, repository and an offering "standard".</summary>
    public static async Task<BackupHarness> StartAsync(string hostUri = "local", string? identity = null,
        string? knownHosts = null, int chainSize = 8, string? directory = null, long stagingCapacity = 0,
        string? nodeId = null, bool register = true, BackupStrategy strategy = BackupStrategy.Delta)
    {
        directory ??= Path.Combine("/var/tmp/bwf-backup-tests", Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(directory);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWorkflowEngine(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(directory, "bwf.db")}");
            o.AddActivitiesFrom(typeof(BackupServiceCollectionExtensions).Assembly);
            o.NodeId = nodeId ?? "test-" + Guid.NewGuid().ToString("N")[..6];
        });
        builder.Services.AddBackupDomain();
        var host = builder.Build();
        await host.StartAsync();
        var harness = new BackupHarness(host, directory, "h1");
        if (register) await harness.WithDbAsync(async db =>
        {
            db.Hosts.Add(new HostRecord
            {
                Name = "h1", Uri = hostUri, IdentityFile = identity, KnownHostsFile = knownHosts,
                StagingDir = harness.StagingPath, MaxConcurrentBackups = 2, StagingCapacityBytes = stagingCapacity,
            });
            db.Repositories.Add(new RepositoryRecord { Name = "r1", Path = harness.RepositoryPath });
            db.Offerings.Add(new Offering { Name = "standard", ChainSize = chainSize, Strategy = strategy });
            await db.SaveChangesAsync();
        });
        return harness;
    }

    /// <summary>Assigns a VM to the offering and repository.</summary>
    public Task AssignAsync(string vm, params string[] excludedDisks) => WithDbAsync(async db =>
    {
        db.Assignments.Add(new VmAssignment
        {
            VmName = vm, HostName = HostName, OfferingName = "standard", RepositoryName = "r1",
            ExcludedDisks = [.. excludedDisks],
        });
        await db.SaveChangesAsync();
    });

    /// <summary>Switches the offering "standard" to another strategy.</summary>
    public Task SetStrategyAsync(BackupStrategy strategy) => WithDbAsync(async db =>
    {
        (await db.Offerings.SingleAsync(o => o.Name == "standard")).Strategy = strategy;
        await db.SaveChangesAsync();
    });

    /// <summary>Runs a backup to its end and returns the instance.</summary>
    public Task<WorkflowInstanceInfo> BackupAsync(string vm, string type = "auto") =>
        RunAsync("backup", new JsonObject { ["host"] = HostName, ["vm"] = vm, ["type"] = type });

    /// <summary>Runs a restore to its end.</summary>
    public Task<WorkflowInstanceInfo> RestoreAsync(Guid backupId, JsonObject? extra = null)
    {
        var input = extra ?? new JsonObject();
        input["backupId"] = backupId.ToString();
        return RunAsync("restore", input);
    }

    /// <summary>Runs a chain-safe delete to its end.</summary>
    public Task<WorkflowInstanceInfo> DeleteAsync(Guid backupId) =>
        RunAsync("delete-backup", new JsonObject { ["backupId"] = backupId.ToString() });

    /// <summary>Runs a backup that must finish, and returns its record.</summary>
    public async Task<BackupRecord> BackupOkAsync(string vm, string type = "auto")
    {
        var run = await BackupAsync(vm, type);
        Assert.True(run.Status == WorkflowStatus.Finished, await DescribeAsync(run));
        var id = BackupIdOf(run);
        return (await BackupsAsync(vm)).Single(b => b.Id == id);
    }

    /// <summary>Starts a workflow and waits for its end.</summary>
    public async Task<WorkflowInstanceInfo> RunAsync(string workflow, JsonObject input)
    {
        var runtime = Services.GetRequiredService<IWorkflowRuntime>();
        var id = await runtime.StartAsync(workflow, input);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await runtime.WaitAsync(id, cancellationToken: cts.Token);
    }

    /// <summary>The backup id a finished backup instance produced.</summary>
    public static Guid BackupIdOf(WorkflowInstanceInfo info) =>
        Guid.Parse(info.Output?["backupId"]?.GetValue<string>() ?? throw new InvalidOperationException($"no backup id: {info.Status} {info.Fault}"));

    /// <summary>All backups of the VM, oldest first.</summary>
    public async Task<List<BackupRecord>> BackupsAsync(string vm)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BackupCatalog>().ListForVmAsync(HostName, vm);
    }

    /// <summary>Journal lines and errors of an instance, for assertion messages.</summary>
    public async Task<string> DescribeAsync(WorkflowInstanceInfo info)
    {
        var journal = await Services.GetRequiredService<IWorkflowInstanceQueries>().GetJournalAsync(info.Id);
        return $"{info.Status} {info.Fault}\n" + string.Join("\n", journal.Select(j =>
            $"  {j.ActivityId} #{j.Attempt} {j.Outcome} {j.Error} {string.Join(" | ", j.Lines)}"));
    }

    /// <summary>Runs <paramref name="action"/> with a fresh BackupDbContext.</summary>
    public async Task WithDbAsync(Func<BackupDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<BackupDbContext>());
    }

    /// <summary>Keep the scratch directory on dispose (another process continues with it).</summary>
    public bool KeepDirectory { get; set; }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (KeepDirectory) return;
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
