using BackupWorkflows.Server.Apis;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Hosting;
using BackupWorkflows.Server.Studio;

// One process: REST API, schedules (Quartz), the workflow engine and the studio's files.
// Settings: --config FILE, --urls, --data, --database sqlite|postgres, --connection, --node (or BWF_* variables).
// The content root is the program's directory, so appsettings.json (logging levels) is found wherever it is started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddBackupWorkflowsServer(args);

var app = builder.Build();
app.UseBackupWorkflowsPipeline();

var api = app.MapGroup("/api");
api.MapHealthApi();
api.MapIdentityApi();
api.MapHostsApi();
api.MapRepositoriesApi();
api.MapOfferingsApi();
api.MapVmsApi();
api.MapBackupsApi();
api.MapBackupFilesApi();
api.MapRestoresApi();
api.MapSnapshotsApi();
api.MapSchedulesApi();
api.MapWorkflowsApi();
api.MapHooksApi();
api.MapTriggersApi();
api.MapInstancesApi();
api.MapEventsApi();
api.MapJobsApi();
api.MapSettingsApi();
api.MapKeysApi();
api.MapApiFallback();

app.MapStudio(app.Services.GetRequiredService<ServerConfiguration>().StudioDirectory);
app.Run();

/// <summary>Entry point; public so that tests can start the server with WebApplicationFactory.</summary>
public partial class Program;
