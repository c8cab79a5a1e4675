using BackupWorkflows.Server.Hosting;

// One process: REST API, schedules (Quartz), the workflow engine and the studio's files.
// Settings: --urls, --data, --database sqlite|postgres, --connection, --node (or BWF_* variables).
var builder = WebApplication.CreateBuilder(args);
builder.AddBackupWorkflowsServer(args);

var app = builder.Build();
app.UseBackupWorkflows();
app.Run();

/// <summary>Entry point; public so that tests can start the server with WebApplicationFactory.</summary>
public partial class Program;
