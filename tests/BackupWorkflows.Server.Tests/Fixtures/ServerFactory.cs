using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackupWorkflows.Server.Tests.Fixtures;

/// <summary>
/// The real server (SQLite in a temp data directory, Quartz, engine) in memory. The embedded
/// default seeds host 'local' and repository 'default'; the first admin key is read from the
/// file the server writes, as scripts would.
/// </summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    /// <summary>The data directory (deleted on dispose); set it to start on the data of an earlier server.</summary>
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "bwf-server-tests-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>The server's warnings and errors.</summary>
    public RecordedLog Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("data", DataDirectory);
        builder.UseSetting("studio", Path.Combine(DataDirectory, "no-studio"));
        builder.UseSetting("maxRequestBodyBytes", (256 * 1024).ToString());
        builder.UseSetting("node", "test-" + Guid.NewGuid().ToString("N")[..6]);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    /// <summary>The first admin key, as written to DATA/initial-admin-key.</summary>
    public string AdminKey
    {
        get
        {
            _ = Server; // starts the server
            return File.ReadAllText(Path.Combine(DataDirectory, "initial-admin-key")).Trim();
        }
    }

    /// <summary>A client sending <paramref name="key"/> (none when null).</summary>
    public HttpClient ClientWith(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A client with the admin key.</summary>
    public HttpClient Admin() => ClientWith(AdminKey);

    /// <summary>Creates a key with <paramref name="role"/> and returns a client using it.</summary>
    public async Task<HttpClient> ClientInRoleAsync(string role)
    {
        var response = await Admin().PostAsJsonAsync("/api/keys", new { name = $"{role}-{Guid.NewGuid():N}"[..20], role });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonObject>();
        return ClientWith(created!["key"]!.GetValue<string>());
    }

    /// <summary>Runs <paramref name="action"/> with a scoped service (e.g. a DbContext to seed rows).</summary>
    public async Task WithAsync<T>(Func<T, Task> action) where T : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    /// <summary>Imports and publishes a definition through the API.</summary>
    public async Task PublishAsync(string json)
    {
        var response = await Admin().PostAsync("/api/workflows/import?publish=true", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A published workflow with the given id whose instances do nothing but finish (optionally after a delay).</summary>
    public static string TrivialWorkflow(string id, double delaySeconds = 0) => $$"""
        {
          "id": "{{id}}", "name": "{{id}} (test stand-in)",
          "activities": [
            { "id": "start", "type": "Flow.Start" },
            { "id": "wait", "type": "Flow.Delay", "inputs": { "seconds": {{delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }
          ],
          "connections": [ { "source": "start", "target": "wait" } ]
        }
        """;

    /// <summary>Polls the instance until it ends or the deadline passes; returns it.</summary>
    public Task<JsonObject> WaitForEndAsync(string instanceId, TimeSpan? timeout = null) =>
        WaitForStatusAsync(instanceId, timeout, "Finished", "Faulted", "Cancelled");

    /// <summary>Polls the instance until its status is one of <paramref name="statuses"/> or the deadline passes; returns it.</summary>
    public async Task<JsonObject> WaitForStatusAsync(string instanceId, TimeSpan? timeout, params string[] statuses)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var client = Admin();
        while (true)
        {
            var instance = (await client.GetFromJsonAsync<JsonObject>($"/api/instances/{instanceId}"))!;
            if (statuses.Contains(instance["status"]!.GetValue<string>())) return instance;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"instance {instanceId} still {instance["status"]}");
            await Task.Delay(100);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
