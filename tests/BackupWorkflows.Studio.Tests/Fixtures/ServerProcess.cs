using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BackupWorkflows.Studio.Tests.Fixtures;

/// <summary>
/// The real server as a child process (<c>dotnet BackupWorkflows.Server.dll</c>) on a free loopback
/// port, with its own data directory and the built studio. Output is kept for failure messages;
/// the process is killed on dispose.
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

    /// <summary>Everything the process printed so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The first admin key, written by the server to <c>initial-admin-key</c> in its data directory.</summary>
    public string AdminKey => File.ReadAllText(Path.Combine(DataDirectory, "initial-admin-key")).Trim();

    /// <summary>Starts the server serving <paramref name="studioDirectory"/> and waits until /api/health answers.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, string studioDirectory)
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
        foreach (var a in (string[])[dll, "--urls", url, "--data", dataDirectory, "--studio", studioDirectory])
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var server = new ServerProcess(Process.Start(start)!, url, dataDirectory);
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server._process.HasExited) throw new InvalidOperationException($"server exited ({server._process.ExitCode}):\n{server.Output}");
            try
            {
                if ((await http.GetAsync($"{url}/api/health")).IsSuccessStatusCode && File.Exists(Path.Combine(dataDirectory, "initial-admin-key")))
                    return server;
            }
            catch (HttpRequestException) { }
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                await server.DisposeAsync();
                throw new TimeoutException($"server did not answer at {url}:\n{server.Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A client of this server with the admin key.</summary>
    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>GET <paramref name="path"/> with the admin key; fails on a non-success status.</summary>
    public async Task<JsonNode> GetAsync(string path)
    {
        using var client = Admin();
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>POST <paramref name="body"/> as JSON with the admin key; fails on a non-success status.</summary>
    public async Task<JsonNode?> PostAsync(string path, object body)
    {
        using var client = Admin();
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>Polls an instance until it is no longer Running/Waiting/Suspended (real process, with a deadline).</summary>
    public async Task<JsonNode> WaitForEndAsync(string instanceId, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var instance = await GetAsync($"/api/instances/{instanceId}");
            if (instance["status"]!.GetValue<string>() is not ("Running" or "Waiting" or "Suspended")) return instance;
            if (watch.Elapsed > limit) throw new TimeoutException($"instance {instanceId} still {instance["status"]} after {limit}: {instance.ToJsonString()}");
            await Task.Delay(250);
        }
    }

    /// <summary>Kills the process (and children) and waits for it.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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
