using System.Diagnostics;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing.Servers;
using Spectre.Console;

namespace BackupWorkflows.Cli.Tests.Fixtures;

/// <summary>What one bwf invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>A real server process (SQLite, temp data directory) and a way to run bwf commands against it in-process.</summary>
public sealed class CliServer : IAsyncLifetime
{
    private ServerProcess? _server;

    /// <summary>The server.</summary>
    public ServerProcess Server => _server!;

    /// <summary>The first admin key.</summary>
    public string AdminKey => Server.InitialAdminKey!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "bwf-cli-tests-" + Guid.NewGuid().ToString("N")[..8]),
        });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(Server.DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Runs bwf with BWF_SERVER and BWF_API_KEY set (key: the admin key unless given; "" for none).</summary>
    public async Task<CliResult> RunWithKeyAsync(string? apiKey, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 250;
        var environment = new Dictionary<string, string?> { ["BWF_SERVER"] = Server.Url, ["BWF_API_KEY"] = apiKey ?? AdminKey };
        var exit = await new BwfApp(console, error, name => environment.GetValueOrDefault(name)).RunAsync(args);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs bwf with the admin key.</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunWithKeyAsync(null, args);

    /// <summary>
    /// Runs bwf as its own process (<c>dotnet bwf.dll</c>) with the admin key, TERM=xterm-256color and NO_COLOR unset
    /// unless <paramref name="environment"/> says otherwise. Its stdout and stderr are pipes; with
    /// <paramref name="terminal"/> bwf runs on a pseudo-terminal (<c>script</c>) instead, whose output is then in Output.
    /// </summary>
    public async Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string> environment, bool terminal, params string[] args)
    {
        string[] bwf = ["dotnet", Path.Combine(AppContext.BaseDirectory, "bwf.dll"), .. args];
        var start = new ProcessStartInfo(terminal ? "script" : bwf[0])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in terminal ? ["-qec", PosixShell.Join(bwf), "/dev/null"] : bwf[1..]) start.ArgumentList.Add(a);
        start.Environment.Remove("NO_COLOR");
        start.Environment["TERM"] = "xterm-256color";
        start.Environment["BWF_SERVER"] = Server.Url;
        start.Environment["BWF_API_KEY"] = AdminKey;
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }
}

[CollectionDefinition(Name)]
public sealed class CliServerCollection : ICollectionFixture<CliServer>
{
    public const string Name = "cli-server";
}
