using BackupWorkflows.Backup.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Backup.Hosting;

/// <summary>Creates the backup tables and imports the shipped workflows (see <see cref="ShippedWorkflowImporter"/>), once per start.</summary>
public sealed class BackupStartup(IServiceProvider services, ILogger<BackupStartup> logger) : IHostedService
{
    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
        await BackupSchema.EnsureAsync(db, cancellationToken, logger);
        await scope.ServiceProvider.GetRequiredService<ShippedWorkflowImporter>().ImportAsync(ShippedWorkflows.All(), cancellationToken);
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
