using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BackupWorkflows.Server.Tests.Fixtures;

/// <summary>
/// The server as a real process (<c>dotnet BackupWorkflows.Server.dll</c>) on a free loopback port,
/// with its own data directory. Output is kept for failure messages. Killed (SIGKILL) on demand
/// or on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string url, string dataDirectory)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything the process printed so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts a server and waits until /api/health answers.</summary>
    /// <param name="dataDirectory">Data directory (created).</param>
    /// <param name="extraArguments">E.g. <c>--database postgres --connection …</c>.</param>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "BackupWorkflows.Server.dll");
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[dll, "--urls", url, "--data", dataDirectory, "--studio", Path.Combine(dataDirectory, "no-studio"), .. extraArguments])
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var server = new ServerProcess(Process.Start(start)!, url, dataDirectory);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (server._process.HasExited) throw new InvalidOperationException($"server exited ({server._process.ExitCode}):\n{server.Output}");
            try
            {
                if ((await http.GetAsync($"{url}/api/health")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"server did not answer at {url}:\n{server.Output}");
            await Task.Delay(200);
        }
    }

    /// <summary>The first admin key the server wrote to its data directory (null when another node created it).</summary>
    public string? InitialAdminKey =>
        File.Exists(Path.Combine(DataDirectory, "initial-admin-key")) ? File.ReadAllText(Path.Combine(DataDirectory, "initial-admin-key")).Trim() : null;

    /// <summary>A client of this server with <paramref name="apiKey"/>.</summary>
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
