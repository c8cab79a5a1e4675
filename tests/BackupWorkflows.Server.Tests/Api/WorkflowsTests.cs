using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Server.Tests.Fixtures;

namespace BackupWorkflows.Server.Tests.Api;

public sealed class WorkflowsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ActivityDescriptors_UseSimpleInputTypes()
    {
        var descriptors = (await (await server.Admin().GetAsync("/api/activity-descriptors")).OkJsonAsync()).AsArray();
        var delay = descriptors.Single(d => d!["type"]!.GetValue<string>() == "Flow.Delay")!;
        Assert.Equal("double", delay["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "seconds")!["type"]!.GetValue<string>());
        Assert.Contains(descriptors, d => d!["type"]!.GetValue<string>() == "Backup.DeleteBackup");
        Assert.All(descriptors.SelectMany(d => d!["inputs"]!.AsArray()), i =>
            Assert.Contains(i!["type"]!.GetValue<string>(), new[] { "string", "int", "long", "bool", "double", "string[]", "object", "json" }));
    }

    [Fact]
    public async Task Run_WithAnInputTheDefinitionDoesNotDeclare_Is400NamingIt_AndStartsNothing()
    {
        await server.PublishAsync(ServerFactory.TrivialWorkflow("strict-inputs").Replace("\"activities\"",
            "\"inputs\": [{\"name\":\"vm\",\"type\":\"string\"}], \"activities\""));
        var operatorClient = await server.ClientInRoleAsync("operator");

        var problem = await (await operatorClient.PostJsonAsync("/api/workflows/strict-inputs/run", new { input = new { vm = "a", host = "b" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem["errors"]!["input.host"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.Contains("'host' is not an input of workflow 'strict-inputs'") && e.Contains("its inputs: vm"));
        var started = (await (await server.Admin().GetAsync("/api/instances?definitionId=strict-inputs")).OkJsonAsync()).AsArray();
        Assert.Empty(started);
        var ok = await (await operatorClient.PostJsonAsync("/api/workflows/strict-inputs/run", new { input = new { vm = "a" } })).OkJsonAsync();
        Assert.Equal("Finished", (await server.WaitForEndAsync(ok["instanceId"]!.GetValue<string>()))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lifecycle_SaveDraftPublishVersionsExportRunRevertDelete()
    {
        var admin = server.Admin();
        var saved = await (await admin.PutAsync("/api/workflows/hello", Json(ServerFactory.TrivialWorkflow("hello")))).OkJsonAsync();
        Assert.Equal(1, saved["version"]!.GetValue<int>());
        Assert.False(saved["isPublished"]?.GetValue<bool>() ?? false);

        var notYet = await (await admin.PostJsonAsync("/api/workflows/hello/run", new { input = new { } })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("publish", notYet["detail"]!.GetValue<string>());

        var published = await (await admin.PostJsonAsync("/api/workflows/hello/publish", new { })).OkJsonAsync();
        Assert.True(published["isPublished"]!.GetValue<bool>());
        var list = (await (await admin.GetAsync("/api/workflows")).OkJsonAsync()).AsArray();
        Assert.Contains(list, w => w!["id"]!.GetValue<string>() == "hello" && w["publishedVersion"]!.GetValue<int>() == 1);

        var run = await (await (await server.ClientInRoleAsync("operator")).PostJsonAsync("/api/workflows/hello/run", new { input = new { } })).OkJsonAsync();
        var instanceId = run["instanceId"]!.GetValue<string>();
        var instance = await server.WaitForEndAsync(instanceId);
        Assert.Equal("Finished", instance["status"]!.GetValue<string>());
        Assert.Equal("done", instance["activities"]!["wait"]!["status"]!.GetValue<string>());
        var journal = (await (await admin.GetAsync($"/api/instances/{instanceId}/journal")).OkJsonAsync()).AsArray();
        Assert.Contains(journal, e => e!["activityId"]!.GetValue<string>() == "wait");

        var v2 = await (await admin.PutAsync("/api/workflows/hello", Json(ServerFactory.TrivialWorkflow("hello", 1)))).OkJsonAsync();
        Assert.Equal(2, v2["version"]!.GetValue<int>());
        var versions = (await (await admin.GetAsync("/api/workflows/hello/versions")).OkJsonAsync()).AsArray();
        Assert.Equal(2, versions.Count);
        var export = await admin.GetAsync("/api/workflows/hello/export?version=1");
        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("hello", JsonNode.Parse(await export.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        var reverted = await (await admin.PostJsonAsync("/api/workflows/hello/revert", new { version = 1 })).OkJsonAsync();
        Assert.True(reverted["version"]!.GetValue<int>() >= 2);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/workflows/hello")).StatusCode);
        await (await admin.GetAsync("/api/workflows/hello")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InvalidDefinition_Is400WithProblems_AndNothingIsSaved()
    {
        var invalid = """{ "id": "broken", "name": "Broken", "activities": [ { "id": "a", "type": "No.Such.Activity" } ] }""";
        var problem = await (await server.Admin().PutAsync("/api/workflows/broken", Json(invalid))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem["problems"]!.AsArray());
        await (await server.Admin().GetAsync("/api/workflows/broken")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await server.Admin().PostAsync("/api/workflows/import", Json("{ not json"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await server.Admin().PutAsync("/api/workflows/other-id", Json(ServerFactory.TrivialWorkflow("hello")))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Instances_FilterCancelAndBadInput()
    {
        await server.PublishAsync(ServerFactory.TrivialWorkflow("slow", delaySeconds: 600));
        var run = await (await server.Admin().PostJsonAsync("/api/workflows/slow/run", new { })).OkJsonAsync();
        var id = run["instanceId"]!.GetValue<string>();
        var listed = (await (await server.Admin().GetAsync("/api/instances?definitionId=slow&take=10")).OkJsonAsync()).AsArray();
        Assert.Contains(listed, i => i!["id"]!.GetValue<string>() == id);
        await (await server.Admin().GetAsync("/api/instances?status=Bogus")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await server.Admin().GetAsync("/api/instances?take=100000")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await server.Admin().GetAsync("/api/instances/no-such-instance")).AssertProblemAsync(HttpStatusCode.NotFound);

        var viewer = await server.ClientInRoleAsync("viewer");
        await (await viewer.PostAsync($"/api/instances/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Accepted, (await (await server.ClientInRoleAsync("operator")).PostAsync($"/api/instances/{id}/cancel", null)).StatusCode);
        Assert.Equal("Cancelled", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
        await (await server.Admin().PostAsync($"/api/instances/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Instances_ForkWithTwoDelays_GiveEachSuspendedActivityItsOwnResumeAt()
    {
        await server.PublishAsync("""
            { "id": "two-timers", "activities": [
                { "id": "fork", "type": "Flow.Fork", "inputs": { "branches": ["short", "long"] } },
                { "id": "short", "type": "Flow.Delay", "inputs": { "seconds": 40 } },
                { "id": "long", "type": "Flow.Delay", "inputs": { "seconds": 80 } } ],
              "connections": [ { "source": "fork", "outcome": "short", "target": "short" }, { "source": "fork", "outcome": "long", "target": "long" } ] }
            """);
        var before = DateTimeOffset.UtcNow;
        var run = await (await server.Admin().PostJsonAsync("/api/workflows/two-timers/run", new { })).OkJsonAsync();
        var id = run["instanceId"]!.GetValue<string>();
        var instance = await server.WaitForStatusAsync(id, null, "Suspended");
        var after = DateTimeOffset.UtcNow;
        DateTimeOffset ResumeAt(string activity)
        {
            Assert.Equal("suspended", instance["activities"]![activity]!["status"]!.GetValue<string>());
            return instance["activities"]![activity]!["resumeAt"]!.GetValue<DateTimeOffset>();
        }
        Assert.InRange(ResumeAt("short"), before.AddSeconds(40).AddMilliseconds(-1), after.AddSeconds(40));
        Assert.InRange(ResumeAt("long"), before.AddSeconds(80).AddMilliseconds(-1), after.AddSeconds(80));
        Assert.Equal(HttpStatusCode.Accepted, (await server.Admin().PostAsync($"/api/instances/{id}/cancel", null)).StatusCode);
        Assert.Equal("Cancelled", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_StreamActivityAndInstanceEventsOfARun()
    {
        await server.PublishAsync(ServerFactory.TrivialWorkflow("evented", delaySeconds: 0.3));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await server.Admin().GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token));
        Assert.StartsWith(":", await reader.ReadLineAsync(cts.Token));

        var run = await (await server.Admin().PostJsonAsync("/api/workflows/evented/run", new { })).OkJsonAsync();
        var id = run["instanceId"]!.GetValue<string>();
        var kinds = new HashSet<string>();
        while (!kinds.Contains("instance:Finished"))
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line is null || !line.StartsWith("data: ")) continue;
            var e = JsonNode.Parse(line["data: ".Length..])!;
            if (e["instanceId"]!.GetValue<string>() != id) continue;
            kinds.Add($"{e["kind"]}:{e["status"]}");
        }
        Assert.Contains("activity:running", kinds);
        Assert.Contains("activity:done", kinds);
    }

    [Fact]
    public async Task Events_ADelayThatSuspends_IsSentSuspendedWithItsResumeAt_AsTheInstanceGivesIt()
    {
        await server.PublishAsync(ServerFactory.TrivialWorkflow("evented-timer", delaySeconds: 60));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await server.Admin().GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(cts.Token));
        Assert.StartsWith(":", await reader.ReadLineAsync(cts.Token));

        var run = await (await server.Admin().PostJsonAsync("/api/workflows/evented-timer/run", new { })).OkJsonAsync();
        var id = run["instanceId"]!.GetValue<string>();
        var wait = new List<JsonNode>();
        while (wait.LastOrDefault()?["status"]?.GetValue<string>() != "suspended")
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (line is null || !line.StartsWith("data: ")) continue;
            var e = JsonNode.Parse(line["data: ".Length..])!;
            if (e["instanceId"]!.GetValue<string>() == id && e["activityId"]?.GetValue<string>() == "wait") wait.Add(e);
        }
        Assert.DoesNotContain(wait, e => e["status"]!.GetValue<string>() == "done"); // it has not ended: it waits
        var instance = await server.WaitForStatusAsync(id, null, "Suspended");
        Assert.Equal("suspended", instance["activities"]!["wait"]!["status"]!.GetValue<string>());
        Assert.Equal(instance["activities"]!["wait"]!["resumeAt"]!.GetValue<DateTimeOffset>(), wait[^1]["resumeAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(HttpStatusCode.Accepted, (await server.Admin().PostAsync($"/api/instances/{id}/cancel", null)).StatusCode);
        Assert.Equal("Cancelled", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
    }
}
