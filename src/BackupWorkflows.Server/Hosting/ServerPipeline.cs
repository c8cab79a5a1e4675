using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Metrics;

namespace BackupWorkflows.Server.Hosting;

/// <summary>The request pipeline in front of the endpoints.</summary>
public static class ServerPipeline
{
    /// <summary>Problem-details errors, the request size limit, authentication, authorization, the checks every API request
    /// shares (<see cref="RequestChecks"/>), the OpenAPI document and /metrics.</summary>
    public static WebApplication UseBackupWorkflowsPipeline(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<ServerConfiguration>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimit>(config.MaxRequestBodyBytes);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestChecks>(config.MaxRequestBodyBytes);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapServerMetrics();
        return app;
    }
}
