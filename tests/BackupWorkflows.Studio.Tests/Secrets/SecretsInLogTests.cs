using System.Diagnostics;
using System.Text.Json.Nodes;
using BackupWorkflows.Studio.Tests.Fixtures;
using BackupWorkflows.Testing.Servers;
using static Microsoft.Playwright.Assertions;

namespace BackupWorkflows.Studio.Tests.Secrets;

/// <summary>
/// The studio's live run view and the CLI (bwf as a process) against a real server that logs everything at
/// Debug (ASP.NET Core and HttpClient at Trace): no API key, used or refused, and no event ticket ends up in
/// the server's log, in a URL the browser requested, or in what bwf printed.
/// </summary>
[Collection(StudioCollection.Name)]
public sealed class SecretsInLogTests(StudioFixture studio) : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("bwf-secrets-").FullName;

    private static readonly string[] VerboseLogging =
    [
        "--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Microsoft=Debug", "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
        "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Debug", "--Logging:LogLevel:Quartz=Debug", "--Logging:LogLevel:System.Net.Http=Trace",
    ];

    /// <summary>Start -> Delay (10 s) -> Finish: the run view is open while it runs, so its end arrives live.</summary>
    private const string Workflow = """
        { "id": "secrets-run", "name": "Secrets", "activities": [
            { "id": "start", "type": "Flow.Start", "position": { "x": 0, "y": 0 } },
            { "id": "delay", "type": "Flow.Delay", "inputs": { "seconds": 10 }, "position": { "x": 0, "y": 150 } },
            { "id": "finish", "type": "Flow.Finish", "position": { "x": 0, "y": 300 } } ],
          "connections": [ { "source": "start", "target": "delay" }, { "source": "delay", "target": "finish" } ] }
        """;

    [Fact]
    public async Task StudioLiveViewAndCli_LeaveNoKeyOrTicketInTheServerLog()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            DataDirectory = _data, StudioDirectory = StudioFixture.StudioDist, WaitForAdminKey = true, Arguments = VerboseLogging,
        });
        var studioKey = (await server.PostAsync("/api/keys", new { name = "studio-viewer", role = "viewer" }))!["key"]!.GetValue<string>();
        var cliKey = (await server.PostAsync("/api/keys", new { name = "cli-operator", role = "operator" }))!["key"]!.GetValue<string>();
        const string refusedKey = "bwf_not-a-key-but-secret-all-the-same-0123456789";
        var cli = new List<string>();

        // bwf: import, run, list, a refused key, a role too low, and help (which once printed BWF_API_KEY as a default).
        var file = Path.Combine(_data, "secrets-run.json");
        await File.WriteAllTextAsync(file, Workflow);
        var admin = server.AdminKey;
        cli.Add(await BwfAsync(server, admin, 0, "workflow", "import", file, "--publish"));
        var started = await BwfAsync(server, cliKey, 0, "workflow", "run", "secrets-run", "-o", "json");
        cli.Add(started);
        var instanceId = JsonNode.Parse(started)!["instanceId"]!.GetValue<string>();
        cli.Add(await BwfAsync(server, cliKey, 0, "run", "list"));
        cli.Add(await BwfAsync(server, refusedKey, 1, "run", "list"));
        cli.Add(await BwfAsync(server, cliKey, 1, "key", "list"));
        cli.Add(await BwfAsync(server, cliKey, 0, "--help"));
        cli.Add(await BwfAsync(server, cliKey, 0, "run", "list", "--help"));

        // The studio: sign in with a viewer key and follow the run live until it ends.
        var urls = new List<string>();
        var ticketCookies = new List<Task<string?>>();
        await using (var page = await studio.OpenAsync(server.Url))
        {
            page.Page.Request += (_, r) => { lock (urls) urls.Add(r.Url); };
            page.Page.Response += (_, r) =>
            {
                if (r.Url.EndsWith("/api/events/tickets", StringComparison.Ordinal)) lock (ticketCookies) ticketCookies.Add(r.HeaderValueAsync("set-cookie"));
            };
            await page.SignInAsync(studioKey, "viewer");
            await page.GoAsync($"runs/{instanceId}");
            await Expect(page.ById("run-live")).ToContainTextAsync("live");
            await Expect(page.ById("node-finish")).ToHaveAttributeAsync("data-state", "done");
            await Expect(page.ById("run-status")).ToContainTextAsync("Finished");
            page.AssertNoConsoleErrors();
        }
        Task<string?>[] cookies;
        lock (ticketCookies) cookies = [.. ticketCookies];
        string[] tickets = [.. (await Task.WhenAll(cookies)).Select(TicketOf)];
        Assert.NotEmpty(tickets);
        lock (urls) Assert.Contains(urls, u => u.Contains($"/api/events?instanceId={instanceId}", StringComparison.Ordinal));

        // A used ticket opens nothing.
        using (var reuse = new HttpRequestMessage(HttpMethod.Get, "/api/events") { Headers = { { "Cookie", $"bwf_events_ticket={tickets[0]}" } } })
        using (var anonymous = server.Client(null))
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.SendAsync(reuse)).StatusCode);

        var log = server.Output;
        // The log really is verbose: every request is there, with its URL.
        Assert.Contains("Request starting HTTP/1.1 POST " + server.Url + "/api/events/tickets", log);
        Assert.Contains("Request starting HTTP/1.1 GET " + server.Url + $"/api/events?instanceId={instanceId}", log);
        // The admin key is printed once, in the first-start notice, before the server has started; never after.
        var afterStart = log[log.IndexOf("Application started", StringComparison.Ordinal)..];
        var secrets = new Dictionary<string, string>
        {
            ["admin key"] = admin, ["studio's key"] = studioKey, ["CLI's key"] = cliKey, ["refused key"] = refusedKey,
        };
        for (var i = 0; i < tickets.Length; i++) secrets[$"event ticket {i + 1}"] = tickets[i];
        foreach (var (what, secret) in secrets)
        {
            Assert.False((what == "admin key" ? afterStart : log).Contains(secret, StringComparison.Ordinal), $"the server logged the {what}");
            lock (urls) Assert.DoesNotContain(urls, u => u.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(cli, printed => printed.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>The ticket in a Set-Cookie header.</summary>
    private static string TicketOf(string? setCookie)
    {
        Assert.NotNull(setCookie);
        Assert.StartsWith("bwf_events_ticket=", setCookie);
        return setCookie["bwf_events_ticket=".Length..setCookie.IndexOf(';')];
    }

    /// <summary>Runs bwf as a process with the key in BWF_API_KEY; checks its exit code; returns stdout and stderr.</summary>
    private static async Task<string> BwfAsync(ServerProcess server, string key, int expectedExit, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "bwf.dll"), .. args]) start.ArgumentList.Add(a);
        start.Environment["BWF_SERVER"] = server.Url;
        start.Environment["BWF_API_KEY"] = key;
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var printed = await stdout + await stderr;
        Assert.True(process.ExitCode == expectedExit, $"bwf {string.Join(' ', args)}: exit {process.ExitCode}, expected {expectedExit}:\n{printed}");
        return printed;
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
