using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Server.Tests.Fixtures;

namespace BackupWorkflows.Server.Tests.Api;

/// <summary>What the fuzz pass found accepted or answered wrongly, one case each: refused with a problem naming the field.</summary>
public sealed class RefusalsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonObject> AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"no error for '{field}': {problem.ToJsonString()}");
        return problem;
    }

    [Theory]
    [InlineData("stagingDir", "")]
    [InlineData("identityFile", "")]
    [InlineData("knownHostsFile", "")]
    [InlineData("stagingDir", "/")]
    [InlineData("stagingDir", "/etc/passwd")]
    [InlineData("stagingDir", "/proc/self/environ")]
    [InlineData("stagingDir", "/dev/sda")]
    [InlineData("stagingDir", "/var/tmp/../../etc")]
    [InlineData("stagingDir", "/var/tmp//x")]
    [InlineData("identityFile", "/root/.ssh/id;touch x")]
    [InlineData("identityFile", "/root/my key")]
    [InlineData("identityFile", "/root/ProxyCommand=touch")]
    [InlineData("knownHostsFile", "/proc/self/environ")]
    [InlineData("uri", "ssh://root@kvm:22\n")]
    [InlineData("uri", "ssh://root@kvm:22 ")]
    [InlineData("uri", "ssh://root@kvm:")]
    [InlineData("uri", "ssh://a'b@kvm")]
    [InlineData("uri", "ssh://a\"b@kvm")]
    [InlineData("uri", "ssh://a;b@kvm")]
    [InlineData("uri", "ssh://a$b@kvm")]
    [InlineData("uri", "ssh://a*b@kvm")]
    [InlineData("uri", "ssh://~root@kvm")]
    [InlineData("uri", "ssh://x%3Btouch%20y@kvm")]
    public async Task AddHost_HostileOrEmptyField_Is400NamingIt_AndNothingIsStored(string field, string value)
    {
        var body = new JsonObject { ["name"] = "refused-host", ["uri"] = "ssh://root@kvm", [field] = value };
        await AssertRefusedAsync(await server.Admin().PostAsync("/api/hosts", Json(body.ToJsonString())), field);
        var hosts = (await (await server.Admin().GetAsync("/api/hosts")).OkJsonAsync()).AsArray();
        Assert.DoesNotContain(hosts, h => h!["name"]!.GetValue<string>() == "refused-host");
    }

    [Fact]
    public async Task AddHost_ThousandCharacterUser_Is400()
    {
        var uri = $"ssh://{new string('u', 1000)}@kvm";
        await AssertRefusedAsync(await server.Admin().PostAsJsonAsync("/api/hosts", new { name = "long-user", uri }), "uri");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/sda")]
    [InlineData("/usr")]
    [InlineData("/var")]
    [InlineData("/var/tmp/../../etc")]
    [InlineData("/var/tmp/$(id)")]
    [InlineData("")]
    public async Task AddRepository_SystemOrNonNormalPath_Is400NamingPath(string path)
    {
        await AssertRefusedAsync(await server.Admin().PostAsJsonAsync("/api/repositories", new { name = "refused-repo", path }), "path");
    }

    [Fact]
    public async Task AddRepository_OwnDirectory_IsAccepted()
    {
        var path = Path.Combine(server.DataDirectory, "own repository");
        var created = await (await server.Admin().PostAsJsonAsync("/api/repositories", new { name = "own-repo", path })).OkJsonAsync();
        Assert.Equal(path, created["path"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin().DeleteAsync("/api/repositories/own-repo")).StatusCode);
    }

    [Fact]
    public async Task CreateOffering_EmptyCompressionLibrary_Is400()
    {
        await AssertRefusedAsync(await server.Admin().PostAsJsonAsync("/api/offerings", new { name = "empty-lib", compressionLibrary = "" }),
            "compressionLibrary");
    }

    [Fact]
    public async Task CronPreview_NamesEveryBadInput_AndReadsWithoutAZoneInUtc()
    {
        var both = await AssertRefusedAsync(await server.Admin().GetAsync("/api/triggers/cron-preview?cron=every%20day&timeZone=Mars%2FOlympus"), "cron");
        Assert.Contains("'Mars/Olympus' is not a known time zone", both["errors"]!["timeZone"]![0]!.GetValue<string>());
        var utc = await (await server.Admin().GetAsync("/api/triggers/cron-preview?cron=daily&count=2")).OkJsonAsync();
        Assert.Equal(("0 0 0 * * ?", "UTC", 2), (utc["quartz"]!.GetValue<string>(), utc["timeZone"]!.GetValue<string>(), utc["next"]!.AsArray().Count));
    }

    [Fact]
    public async Task SnapshotDisksAndRestoreVolume_NotADiskTarget_Are400WithTheSameWords()
    {
        var operatorClient = await server.ClientInRoleAsync("operator");
        var snapshot = await AssertRefusedAsync(await operatorClient.PostAsJsonAsync("/api/snapshots", new { vm = "web-1", disks = new[] { "vda", "VDA;x" } }), "disks");
        Assert.Equal(["'VDA;x' is not a disk target such as vda."], snapshot["errors"]!["disks"]!.AsArray().Select(e => e!.GetValue<string>()));
        var restore = await AssertRefusedAsync(await operatorClient.PostAsJsonAsync("/api/restores",
            new { backupId = Guid.NewGuid(), volume = "../vda", toVm = "web-2" }), "volume");
        Assert.Equal(["'../vda' is not a disk target such as vda."], restore["errors"]!["volume"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public async Task MissingOrWrongContentType_Is415_Or401WithoutAKey()
    {
        var missing = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"x\"}"));
        var problem = await (await server.Admin().PostAsync("/api/hosts", missing)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", problem["detail"]!.GetValue<string>());
        await (await server.Admin().PostAsync("/api/hosts", new StringContent("{}", Encoding.UTF8, "text/plain")))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await server.ClientWith(null).PostAsync("/api/hosts", new StringContent("{}", Encoding.UTF8, "text/plain")))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("PATCH")]
    public async Task MethodTheEndpointDoesNotAnswer_Is405WithAllow(string method)
    {
        var response = await server.Admin().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/hosts"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order());
        await (await server.Admin().GetAsync("/api/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MalformedIdempotencyKey_IsCheckedBeforeTheBackupIsLookedUp()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/restores") { Content = JsonContent.Create(new { backupId = Guid.NewGuid() }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 201));
        await AssertRefusedAsync(await server.Admin().SendAsync(request), "Idempotency-Key");
    }

    [Fact]
    public async Task WrongJsonType_Is400NamingTheFieldInUserTerms()
    {
        var problem = await AssertRefusedAsync(await server.Admin().PostAsync("/api/hosts", Json("{\"name\": 5, \"uri\": \"local\"}")), "name");
        Assert.StartsWith("this value has the wrong JSON type at $.name", problem["errors"]!["name"]![0]!.GetValue<string>());
        await AssertRefusedAsync(await server.Admin().PostAsync("/api/hosts", Json("null")), "body");
    }

    [Fact]
    public async Task UnpairedSurrogateInARunsInput_Is400NamingTheInput()
    {
        await server.PublishAsync(ServerFactory.TrivialWorkflow("surrogate"));
        await AssertRefusedAsync(await server.Admin().PostAsync("/api/workflows/surrogate/run", Json("{\"input\": {\"vm\": \"a\\ud800\"}}")), "input.vm");
    }

    [Theory]
    [InlineData("\"activities\": [ null ]", "activities[0]")]
    [InlineData("\"activities\": [ { \"id\": null, \"type\": \"Flow.Start\" } ]", "activities[0].id")]
    [InlineData("\"inputs\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "inputs[0]")]
    [InlineData("\"variables\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "variables[0]")]
    [InlineData("\"connections\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "connections[0]")]
    [InlineData("\"locks\": [ null ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "locks[0]")]
    [InlineData("\"inputs\": [ { \"name\": \"x\", \"type\": \"evil\" } ], \"activities\": [ { \"id\": \"start\", \"type\": \"Flow.Start\" } ]", "inputs[0].type")]
    public async Task SaveOrImportWorkflow_NullEntryOrUnknownInputType_Is400WithTheProblem(string body, string path)
    {
        var json = $$"""{ "id": "nulls", {{body}} }""";
        foreach (var response in new[]
                 {
                     await server.Admin().PutAsync("/api/workflows/nulls", Json(json)),
                     await server.Admin().PostAsync("/api/workflows/import", Json(json)),
                 })
        {
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(problem["problems"]!.AsArray(), p => p!["path"]?.GetValue<string>() == path);
        }
    }
}
