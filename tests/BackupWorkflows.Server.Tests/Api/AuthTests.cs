using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Persistence;
using BackupWorkflows.Server.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Tests.Api;

public sealed class AuthTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task Health_WithoutKey_IsOk()
    {
        var health = await (await server.ClientWith(null).GetAsync("/api/health")).OkJsonAsync();
        Assert.Equal("ok", health["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_WithoutKey_Is401Problem()
    {
        var problem = await (await server.ClientWith(null).GetAsync("/api/hosts")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_WithUnknownKey_Is401Problem()
    {
        var problem = await (await server.ClientWith("bwf_not-a-key").GetAsync("/api/hosts")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Me_ReturnsNameAndRoleOfTheKey()
    {
        var me = await (await server.Admin().GetAsync("/api/me")).OkJsonAsync();
        Assert.Equal("admin", me["name"]!.GetValue<string>());
        Assert.Equal("admin", me["role"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("viewer", "POST", "/api/hosts", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "POST", "/api/backups", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "DELETE", "/api/backups/6f1c1a53-5c7d-4d0e-9a55-3f1b6a0e1d11", HttpStatusCode.Forbidden)]
    [InlineData("viewer", "POST", "/api/schedules", HttpStatusCode.Forbidden)]
    [InlineData("operator", "POST", "/api/hosts", HttpStatusCode.Forbidden)]
    [InlineData("operator", "POST", "/api/repositories", HttpStatusCode.Forbidden)]
    [InlineData("operator", "POST", "/api/offerings", HttpStatusCode.Forbidden)]
    [InlineData("operator", "PUT", "/api/settings/schedules.default.keep", HttpStatusCode.Forbidden)]
    [InlineData("operator", "GET", "/api/keys", HttpStatusCode.Forbidden)]
    [InlineData("operator", "POST", "/api/workflows/import", HttpStatusCode.Forbidden)]
    [InlineData("operator", "DELETE", "/api/backups/6f1c1a53-5c7d-4d0e-9a55-3f1b6a0e1d11", HttpStatusCode.NotFound)]
    [InlineData("operator", "POST", "/api/restores", HttpStatusCode.BadRequest)]
    [InlineData("viewer", "GET", "/api/backups", HttpStatusCode.OK)]
    [InlineData("viewer", "GET", "/api/settings", HttpStatusCode.OK)]
    public async Task Roles_AreEnforced(string role, string method, string url, HttpStatusCode expected)
    {
        var client = await server.ClientInRoleAsync(role);
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT") request.Content = JsonContent.Create(new JsonObject());
        var response = await client.SendAsync(request);
        if (expected == HttpStatusCode.OK) { await response.OkJsonAsync(); return; }
        var problem = await response.AssertProblemAsync(expected);
        if (expected == HttpStatusCode.Forbidden) Assert.Contains(role, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_AreStoredHashed_AndRevokedKeysStopWorking()
    {
        var created = (await (await server.Admin().PostJsonAsync("/api/keys", new { name = "ci-bot", role = "operator" })).OkJsonAsync()).AsObject();
        var key = created["key"]!.GetValue<string>();
        Assert.StartsWith("bwf_", key);
        Assert.True(key.Length >= 40);

        await server.WithAsync<ServerDbContext>(async db =>
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Name == "ci-bot");
            Assert.NotEqual(key, row.KeyHash);
            Assert.Equal(64, row.KeyHash.Length);
            Assert.DoesNotContain(await db.ApiKeys.Select(k => k.KeyHash).ToListAsync(), h => h.Contains(key));
        });
        var listed = await (await server.Admin().GetAsync("/api/keys")).OkJsonAsync();
        Assert.DoesNotContain(key, listed.ToJsonString());

        var ci = server.ClientWith(key);
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/keys/ci-bot")).StatusCode);
        await (await ci.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Keys_BadInput_Are400_DuplicateIs409_LastAdminCannotBeRevoked()
    {
        var bad = await (await server.Admin().PostJsonAsync("/api/keys", new { name = "../x", role = "root" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["name"]);
        Assert.NotNull(bad["errors"]!["role"]);
        await (await server.Admin().PostJsonAsync("/api/keys", new { name = "admin", role = "viewer" })).AssertProblemAsync(HttpStatusCode.Conflict);
        var last = await (await server.Admin().DeleteAsync("/api/keys/admin")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("last admin", last["detail"]!.GetValue<string>());
        await (await server.Admin().DeleteAsync("/api/keys/nobody")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void InitialAdminKeyFile_IsPrivate()
    {
        _ = server.AdminKey;
        var mode = File.GetUnixFileMode(Path.Combine(server.DataDirectory, "initial-admin-key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task ApiKeyInQuery_IsRefusedEverywhere_TheEventStreamIncluded()
    {
        var anonymous = server.ClientWith(null);
        await (await anonymous.GetAsync($"/api/hosts?apiKey={server.AdminKey}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync($"/api/events?apiKey={server.AdminKey}")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task EventTicket_IsAnHttpOnlyCookie_ThatOpensOneStreamOnly()
    {
        await (await server.ClientWith(null).PostAsync("/api/events/tickets", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var viewer = await server.ClientInRoleAsync("viewer");
        var ticket = await TicketAsync(viewer);

        // Without cookies of its own: the ticket is sent by hand, as a browser would send the cookie.
        var browser = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        HttpRequestMessage Get(string path) => new(HttpMethod.Get, path) { Headers = { { "Cookie", $"{EventTickets.Cookie}={ticket}" } } };
        await (await browser.SendAsync(Get("/api/hosts"))).AssertProblemAsync(HttpStatusCode.Unauthorized);

        ticket = await TicketAsync(viewer);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using (var stream = await browser.SendAsync(Get("/api/events"), HttpCompletionOption.ResponseHeadersRead, cts.Token))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
            Assert.Contains(stream.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{EventTickets.Cookie}=;") && c.Contains("expires=Thu, 01 Jan 1970"));
        }
        var reused = await (await browser.SendAsync(Get("/api/events"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("ticket", reused["detail"]!.GetValue<string>());
    }

    /// <summary>Asks for a ticket; checks it comes only as a 60 s HttpOnly, SameSite=Strict cookie for /api/events.</summary>
    private static async Task<string> TicketAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/api/events/tickets", null);
        var body = await response.OkJsonAsync();
        Assert.True(body["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddSeconds(30));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        foreach (var attribute in new[] { "max-age=60", "path=/api/events", "samesite=strict", "httponly" })
            Assert.Contains(attribute, cookie.ToLowerInvariant());
        var ticket = cookie[(cookie.IndexOf('=') + 1)..cookie.IndexOf(';')];
        Assert.DoesNotContain(ticket, body.ToJsonString());
        return ticket;
    }
}
