using BackupWorkflows.Testing.Servers;

namespace BackupWorkflows.Server.Tests.Hosting;

/// <summary>
/// A normal start of the real server process logs no warning and no error: first as on a fresh machine
/// (an empty home directory, so no Data Protection key ring exists yet, and an empty data directory),
/// then again on the same data directory.
/// </summary>
public sealed class StartLogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bwf-start-log-").FullName;

    [Fact]
    public async Task FreshStartAndRestart_LogNoWarningOrError()
    {
        var data = Path.Combine(_root, "data");
        var home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        var options = new ServerProcessOptions
        {
            DataDirectory = data,
            WaitForAdminKey = true,
            Environment = new Dictionary<string, string> { ["HOME"] = home },
            // The retention purge's query runs once at start; its Debug line says it has.
            Arguments = ["--Logging:LogLevel:BackupWorkflows.Backup.Jobs.InstanceRetention=Debug"],
        };
        foreach (var run in new[] { "first start", "restart" })
        {
            await using var server = await ServerProcess.StartAsync(options);
            await server.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
            await server.WaitForOutputAsync("Purged 0 workflow instance(s)", TimeSpan.FromSeconds(60));
            await server.GetAsync("/api/instances");
            var output = server.Output;
            var bad = output.Split('\n').Where(l => l.StartsWith("warn:") || l.StartsWith("fail:") || l.StartsWith("crit:")).ToList();
            Assert.True(bad.Count == 0, $"{run} logged {string.Join(" | ", bad)}:\n{output}");
        }

        // The key ring is the data directory's (one key, reused by the restart), readable by the owner only.
        var keys = Directory.GetFiles(Path.Combine(data, "data-protection-keys"), "key-*.xml");
        Assert.Single(keys);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys[0]));
        Assert.False(Directory.Exists(Path.Combine(home, ".aspnet")), "nothing is written to the user profile");
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
