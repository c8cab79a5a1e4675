using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Hosting;

/// <summary>Creates the backup tables and imports the shipped workflows, once per start.</summary>
public sealed class BackupStartup(IServiceProvider services, ILogger<BackupStartup> logger) : IHostedService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
        await BackupSchema.EnsureAsync(db, cancellationToken);
        var store = scope.ServiceProvider.GetRequiredService<IWorkflowDefinitionStore>();
        foreach (var (name, json) in ShippedWorkflows.All())
        {
            var result = await store.ImportAsync(json, publish: true, cancellationToken);
            logger.LogInformation("Shipped workflow {Name}: v{Version} {What}", name, result.Definition.Version, result.Created ? "imported" : "unchanged");
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The workflow definitions in <c>workflows/</c>, embedded in this assembly.</summary>
public static class ShippedWorkflows
{
    /// <summary>Each shipped definition's file name and JSON.</summary>
    public static IEnumerable<(string Name, string Json)> All()
    {
        var assembly = typeof(ShippedWorkflows).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("workflows/", StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (resource["workflows/".Length..], reader.ReadToEnd());
        }
    }
}
