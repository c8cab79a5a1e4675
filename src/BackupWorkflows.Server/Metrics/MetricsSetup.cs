using BackupWorkflows.Backup.Metrics;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Server.Auth;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace BackupWorkflows.Server.Metrics;

/// <summary>
/// OpenTelemetry metrics of the engine, the backup domain and the host commands (each project owns its
/// meter), exposed at <c>GET /metrics</c> in Prometheus text format for a viewer key.
/// </summary>
/// <remarks>
/// /metrics asks for a key like the rest of the API (viewer is enough; Prometheus sends it as
/// <c>Authorization: Bearer</c>): its labels name hosts (<c>user@host:port</c>), activity types and
/// backup counts, which should not be readable by whoever reaches the port when the server listens beyond
/// localhost.
/// </remarks>
public static class MetricsSetup
{
    /// <summary>Path of the Prometheus scrape endpoint.</summary>
    public const string Path = "/metrics";

    /// <summary>Every meter the server exports.</summary>
    public static readonly IReadOnlyList<string> Meters = [EngineMetrics.MeterName, BackupMetrics.MeterName, HostCommandMetrics.MeterName];

    /// <summary>Registers the meters with OpenTelemetry and the Prometheus exporter.</summary>
    public static IServiceCollection AddServerMetrics(this IServiceCollection services, string nodeId)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("backupworkflows-server", serviceInstanceId: nodeId))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]).AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> (viewer) and creates the meters' owners, so their gauges exist before any backup.</summary>
    public static WebApplication MapServerMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<EngineMetrics>();
        app.Services.GetRequiredService<BackupMetrics>();
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(Roles.Viewer);
        return app;
    }
}
