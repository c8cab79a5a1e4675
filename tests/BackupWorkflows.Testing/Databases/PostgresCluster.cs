using System.Diagnostics;
using Xunit;

namespace BackupWorkflows.Testing.Databases;

/// <summary>
/// A private PostgreSQL 15 cluster for the test run: initdb in a temp directory (as user
/// postgres, since we run as root), listening on 127.0.0.1 on a free port with its socket in
/// the same directory; stopped and deleted at the end. Each test gets its own database.
/// </summary>
/// <remarks>
/// xunit 2 finds collection definitions only in the test assembly, so each test project that
/// shares one cluster declares its own <c>[CollectionDefinition(PostgresCluster.CollectionName)]</c>.
/// </remarks>
public sealed class PostgresCluster : IAsyncLifetime
{
    /// <summary>The collection name test projects give their <c>ICollectionFixture&lt;PostgresCluster&gt;</c> definition.</summary>
    public const string CollectionName = "postgres";

    private const string Bin = "/usr/lib/postgresql/15/bin";
    private string _dir = "";
    private int _databases;

    /// <summary>The TCP port the cluster listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>Creates and starts the cluster.</summary>
    public async Task InitializeAsync()
    {
        _dir = Path.Combine(Path.GetTempPath(), "bwf-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
        await RunAsync("chown", "postgres:postgres", _dir);
        Port = LoopbackPort.Free();
        await RunAsPostgresAsync($"{Bin}/initdb", "-D", Path.Combine(_dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        await RunAsPostgresAsync($"{Bin}/pg_ctl", "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
    }

    /// <summary>A connection string to a fresh, not yet created database (the engine creates it).</summary>
    public string NewDatabase() =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=bwf_test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]};Pooling=true;Maximum Pool Size=20";

    /// <summary>Stops the cluster (immediate) and deletes its directory.</summary>
    public async Task DisposeAsync()
    {
        try { await RunAsPostgresAsync($"{Bin}/pg_ctl", "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"); }
        finally { Directory.Delete(_dir, recursive: true); }
    }

    private static Task RunAsPostgresAsync(params string[] args) => RunAsync("runuser", ["-u", "postgres", "--", .. args]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }
}
