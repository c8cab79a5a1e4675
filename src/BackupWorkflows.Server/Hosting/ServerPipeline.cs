using BackupWorkflows.Server.Errors;

namespace BackupWorkflows.Server.Hosting;

/// <summary>The request pipeline in front of the endpoints.</summary>
public static class ServerPipeline
{
    /// <summary>Problem-details errors, the request size limit, authentication, authorization, the checks every API request
    /// shares (<see cref="RequestChecks"/>) and the OpenAPI document.</summary>
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
        return app;
    }
}
