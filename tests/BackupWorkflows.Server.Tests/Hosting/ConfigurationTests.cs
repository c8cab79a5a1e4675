using BackupWorkflows.Testing.Servers;

namespace BackupWorkflows.Server.Tests.Hosting;

/// <summary>Where the server process finds its configuration: the shipped appsettings.json and <c>--config FILE</c>.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private const string SqlLogCategory = "Microsoft.EntityFrameworkCore.Database.Command";
    private const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("bwf-config-tests").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task StartedFromAnotherDirectory_HonoursTheShippedLoggingLevels()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataDirectory = Path.Combine(_root, "data"), WorkingDirectory = elsewhere, WaitForAdminKey = true,
        });
        Assert.NotNull(await server.GetAsync("/api/hosts"));

        // Info lines of the host's lifetime still come (the default level); the start-up's SQL statements, logged
        // before it, and the request come only at Information, which the shipped levels raise to Warning.
        await server.WaitForOutputAsync("Application started", Limit);
        Assert.DoesNotContain(SqlLogCategory, server.Output);
        Assert.DoesNotContain(RequestLogCategory, server.Output);
        Assert.False(File.Exists(Path.Combine(elsewhere, "appsettings.json")));
    }

    [Fact]
    public async Task ConfigFile_IsRead_AndTheCommandLineWinsOverIt()
    {
        var file = Path.Combine(_root, "backupworkflows.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "data": "{{Path.Combine(_root, "data-from-file")}}",
              "Logging": { "LogLevel": { "{{SqlLogCategory}}": "Information" } }
            }
            """);
        var commandLineData = Path.Combine(_root, "data-from-command-line");
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataDirectory = commandLineData, WaitForAdminKey = true, Arguments = ["--config", file],
        });

        await server.WaitForOutputAsync(SqlLogCategory, Limit);
        Assert.True(File.Exists(Path.Combine(commandLineData, "initial-admin-key")));
        Assert.False(Directory.Exists(Path.Combine(_root, "data-from-file")));
    }

    [Fact]
    public async Task MissingConfigFile_StopsTheStart_NamingIt()
    {
        var missing = Path.Combine(_root, "no-such.json");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataDirectory = Path.Combine(_root, "data"), Arguments = ["--config", missing],
        }));
        Assert.Contains(missing, failure.Message);
    }
}
