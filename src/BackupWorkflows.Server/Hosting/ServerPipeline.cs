using BackupWorkflows.Server.Apis;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Studio;

namespace BackupWorkflows.Server.Hosting;

/// <summary>The request pipeline and the API map.</summary>
public static class ServerPipeline
{
    /// <summary>Error handling, size limit, auth, the OpenAPI document, every API area and the studio.</summary>
    public static WebApplication UseBackupWorkflows(this WebApplication app)
    {
        var config = app.Services.GetRequiredService<ServerConfiguration>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimit>(config.MaxRequestBodyBytes);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        var api = app.MapGroup("/api");
        api.MapHealthApi();
        api.MapIdentityApi();
        api.MapHostsApi();
        api.MapRepositoriesApi();
        api.MapOfferingsApi();
        api.MapVmsApi();
        api.MapBackupsApi();
        api.MapRestoresApi();
        api.MapSchedulesApi();
        api.MapWorkflowsApi();
        api.MapInstancesApi();
        api.MapEventsApi();
        api.MapJobsApi();
        api.MapSettingsApi();
        api.MapKeysApi();
        api.MapFallback(() => Results.Problem(statusCode: 404, title: "Not found", detail: "No such API endpoint."));
        app.MapStudio(config.StudioDirectory);
        return app;
    }
}
