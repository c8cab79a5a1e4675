using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace BackupWorkflows.Testing.Servers;

/// <summary>
/// The server as a real child process (<c>dotnet BackupWorkflows.Server.dll</c>, which the test
/// project must have in its output) on a free loopback port, with its own data directory and,
/// when asked, the built studio. Output is kept for failure messages. Killed (SIGKILL) on demand
/// or on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const string AdminKeyFile = "initial-admin-key";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(90);
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

    /// <summary>The first admin key the server wrote to its data directory (null when another node created it).</summary>
    public string? InitialAdminKey =>
        File.Exists(Path.Combine(DataDirectory, AdminKeyFile)) ? File.ReadAllText(Path.Combine(DataDirectory, AdminKeyFile)).Trim() : null;

    /// <summary>The first admin key; throws when this server did not write one.</summary>
    public string AdminKey => InitialAdminKey ?? throw new InvalidOperationException($"no {AdminKeyFile} in {DataDirectory}");

    /// <summary>Starts a server and waits until /api/health answers (and the admin key is written, if asked).</summary>
    public static async Task<ServerProcess> StartAsync(ServerProcessOptions options)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "BackupWorkflows.Server.dll");
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var studio = options.StudioDirectory ?? Path.Combine(options.DataDirectory, "no-studio");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = options.WorkingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[.. options.Launch ?? [dll], "--urls", url, "--data", options.DataDirectory, "--studio", studio, .. options.Arguments])
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in options.Environment) start.Environment[name] = value;
        var server = new ServerProcess(Process.Start(start)!, url, options.DataDirectory);
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server._process.HasExited) throw new InvalidOperationException($"server exited ({server._process.ExitCode}):\n{server.Output}");
            try
            {
                if ((await http.GetAsync($"{url}/api/health")).IsSuccessStatusCode
                    && (!options.WaitForAdminKey || File.Exists(Path.Combine(options.DataDirectory, AdminKeyFile))))
                    return server;
            }
            catch (HttpRequestException) { }
            if (deadline.Elapsed > StartDeadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"server did not answer at {url}:\n{server.Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the process has printed <paramref name="text"/>; throws with its output after <paramref name="limit"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (watch.Elapsed > limit) throw new TimeoutException($"the server did not print '{text}' within {limit}:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>A client of this server with <paramref name="apiKey"/> (none when null).</summary>
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>A client of this server with the admin key.</summary>
    public HttpClient Admin()
    {
        var client = Client(AdminKey);
        client.Timeout = TimeSpan.FromSeconds(60);
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

    /// <summary>Kills the process and its children at once (SIGKILL), as a crash would, and waits for it.</summary>
    /// <param name="entireTree">False kills only the process itself, as <c>kill -9 PID</c> would, leaving any child to itself.</param>
    public void Kill(bool entireTree = true)
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: entireTree);
        _process.WaitForExit();
    }

    /// <summary>Kills the process (see <see cref="Kill"/>).</summary>
    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
