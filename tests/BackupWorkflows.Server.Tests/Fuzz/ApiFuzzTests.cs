using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing.Servers;
using BackupWorkflows.Testing.Ssh;
using Xunit.Abstractions;

namespace BackupWorkflows.Server.Tests.Fuzz;

/// <summary>
/// Walks every operation of the served OpenAPI document with hostile input: malformed JSON, wrong and
/// missing Content-Type, wrong JSON types, missing and extra fields, huge numbers and strings, shell
/// metacharacters, '..' and absolute paths in names and paths. No answer may be a 5xx; every refusal is
/// problem details (a 400 names the field); and no host command ever carries a fuzz value: the host
/// registered here is a real sshd whose authorized_keys runs every command through a recording wrapper.
/// </summary>
public sealed class ApiFuzzTests(SshdFixture sshd, ITestOutputHelper output) : IClassFixture<SshdFixture>
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);

    [Fact]
    public async Task EveryOperation_HostileInput_NoServerError_RefusalsAreProblemsNamingTheField_NoHostCommandCarriesIt()
    {
        await sshd.RecordCommandsAsync();
        var data = Directory.CreateTempSubdirectory("bwf-fuzz-").FullName;
        try { await FuzzAsync(data); }
        finally { Directory.Delete(data, recursive: true); }
    }

    private async Task FuzzAsync(string data)
    {
        // A real server process behind Kestrel: the in-memory test server refuses some hostile URLs itself.
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { DataDirectory = data, WaitForAdminKey = true });
        var admin = server.Admin();
        var values = new FuzzValues("fz" + Guid.NewGuid().ToString("N")[..6]);
        var staging = Directory.CreateDirectory(Path.Combine(data, "recorded-staging")).FullName;
        await (await admin.PostAsJsonAsync("/api/hosts", new
        {
            name = "recorded", uri = sshd.HostUri, identityFile = sshd.IdentityFile, knownHostsFile = sshd.KnownHostsFile, stagingDir = staging,
        })).OkJsonAsync();
        // The record works: listing VMs asks the host's libvirt, through the wrapper.
        await (await admin.GetAsync("/api/vms?host=recorded")).OkJsonAsync();
        Assert.Contains("virsh", await File.ReadAllTextAsync(sshd.CommandRecord!));

        var document = await (await server.Client(null).GetAsync("/openapi/v1.json")).OkJsonAsync();
        var operations = ApiOperation.All(document);
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations in the document");

        // Bodies are also sent to things that exist, where a bad value is not stopped by a 404 first.
        var settingsBefore = (await (await admin.GetAsync("/api/settings")).OkJsonAsync()).ToJsonString();
        var settings = JsonNode.Parse(settingsBefore)!.AsArray().Select(x => x!["name"]!.GetValue<string>()).ToList();
        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        foreach (var operation in operations)
        {
            foreach (var (path, body, contentType) in Cases(operation, values, operation.Path.StartsWith("/api/settings/", StringComparison.Ordinal) ? settings : []))
            {
                sent++;
                if (await SendAsync(admin, operation, path, body, contentType) is { } failure) failures.Add(failure);
                if (failures.Count > 20) break;
            }
            if (clock.Elapsed > Budget) { output.WriteLine($"budget spent after {operation.Id}"); break; }
        }
        // Whatever the fuzz registered is asked for its VMs once more (hosts are contacted only then or by workflows).
        await admin.GetAsync("/api/vms");
        output.WriteLine($"{sent} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20))
            + "\n--- server errors ---\n" + string.Join("\n", server.Output.Split('\n').Where(l => l.Contains("fail:") || l.Contains("Exception")).Take(40)));
        Assert.Equal(settingsBefore, (await (await admin.GetAsync("/api/settings")).OkJsonAsync()).ToJsonString());
        var record = await File.ReadAllTextAsync(sshd.CommandRecord!);
        Assert.DoesNotContain(values.Run, record);
        Assert.Empty(Directory.GetFiles("/tmp", values.Run + "*"));
        Assert.Empty(Directory.GetFileSystemEntries(staging));
    }

    private static IEnumerable<(string Path, string? Body, string? ContentType)> Cases(ApiOperation op, FuzzValues values, IReadOnlyList<string> existing)
    {
        foreach (var name in existing)
        {
            foreach (var value in FuzzValues.Strings("{m}").Select(v => (JsonNode?)JsonValue.Create(v)).Concat(FuzzValues.Scalars("{m}")))
            {
                var m = values.Next().Marker;
                var body = new JsonObject { ["value"] = value is null ? null : JsonNode.Parse(value.ToJsonString().Replace("{m}", m, StringComparison.Ordinal)) };
                yield return (PathWith(op, name), FuzzValues.ToJson(body), "application/json");
            }
        }
        // Hostile path and query values, with a body of the right shape.
        if (op.PathParameters.Count > 0 || op.QueryParameters.Count > 0)
        {
            foreach (var template in FuzzValues.Strings("{m}"))
            {
                var m = values.Next().Marker;
                var hostile = template.Replace("{m}", m, StringComparison.Ordinal);
                var query = op.QueryParameters.Count == 0 ? "" : "?" + string.Join("&", op.QueryParameters.Select(q => $"{q}={Escape(hostile)}"));
                yield return (PathWith(op, op.PathParameters.Count > 0 ? hostile : m) + query, op.BodyProperties is null ? null : Body(op, m),
                    op.BodyProperties is null ? null : "application/json");
            }
        }
        if (op.BodyProperties is null) yield break;

        var path = PathWith(op, values.Next().Marker);
        foreach (var malformed in new[] { "{", "[", "nul", "{\"a\":}", "", "null", "[]", "\"x\"", "123", "{\"a\":1,}x" })
            yield return (path, malformed, "application/json");
        yield return (path, Body(op, values.Next().Marker), null);
        yield return (path, Body(op, values.Next().Marker), "text/plain");
        var extra = JsonNode.Parse(Body(op, values.Next().Marker))!.AsObject();
        extra["unexpected" + values.Next().Marker] = values.Next().Marker;
        yield return (path, extra.ToJsonString(), "application/json");

        foreach (var property in op.BodyProperties.Keys)
        {
            var missing = JsonNode.Parse(Body(op, values.Next().Marker))!.AsObject();
            missing.Remove(property);
            yield return (path, missing.ToJsonString(), "application/json");
            var count = FuzzValues.Strings("").Count() + FuzzValues.Scalars("").Count();
            for (var i = 0; i < count; i++)
            {
                var m = values.Next().Marker;
                var value = FuzzValues.Strings(m).Select(v => (JsonNode?)JsonValue.Create(v)).Concat(FuzzValues.Scalars(m)).ElementAt(i);
                var body = JsonNode.Parse(Body(op, m))!.AsObject();
                body[property] = value;
                yield return (path, FuzzValues.ToJson(body), "application/json");
            }
        }
    }

    /// <summary>A body of the right shape: every property present with a plain value.</summary>
    private static string Body(ApiOperation op, string m)
    {
        var body = new JsonObject();
        foreach (var (name, type) in op.BodyProperties ?? new Dictionary<string, string>())
        {
            body[name] = type switch
            {
                "integer" or "number" => 1,
                "boolean" => true,
                "object" => new JsonObject(),
                "array" => new JsonArray(),
                _ => m,
            };
        }
        return body.ToJsonString();
    }

    private static string PathWith(ApiOperation op, string value)
    {
        var path = op.Path;
        foreach (var parameter in op.PathParameters) path = path.Replace("{" + parameter + "}", Escape(value), StringComparison.Ordinal);
        return path;
    }

    private static string Escape(string value) =>
        Uri.EscapeDataString(value.Replace(FuzzValues.LoneSurrogate, "", StringComparison.Ordinal))
        + (value.Contains(FuzzValues.LoneSurrogate, StringComparison.Ordinal) ? "%ED%A0%80" : "");

    private static async Task<string?> SendAsync(HttpClient client, ApiOperation op, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        HttpResponseMessage response;
        try { response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token); }
        catch (OperationCanceledException) { return $"{op.Method} {path}: no answer within 20 s"; }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream") return status == 200 ? null : $"{op.Method} {path}: stream answered {status}";
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var what = $"{op.Method} {Shorten(path)} {Shorten(body)} [{contentType}] -> {status}: {Shorten(text)}";
            if (status >= 500) return what;
            // Kestrel refuses a request line holding a NUL (400) or longer than 8 KiB (414) before any of the server's code runs.
            if (text.Length == 0 && ((status == 400 && path.Contains("%00", StringComparison.Ordinal)) || (status == 414 && path.Length > 8000))) return null;
            if (status is 401 or 403) return what + " (the admin key was refused)";
            if (status < 400) return null;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return what + " (not problem details)";
            if (text.Contains("Exception", StringComparison.Ordinal) || text.Contains("BackupWorkflows.", StringComparison.Ordinal)
                || text.Contains("System.", StringComparison.Ordinal))
                return what + " (names .NET internals)";
            var problem = JsonNode.Parse(text)!;
            if (problem["status"]?.GetValue<int>() != status || string.IsNullOrEmpty(problem["title"]?.GetValue<string>())) return what + " (incomplete problem)";
            if (status == 400 && problem["errors"] is not JsonObject { Count: > 0 } && problem["problems"] is not JsonArray { Count: > 0 })
                return what + " (a 400 that names no field)";
            return null;
        }
    }

    private static string Shorten(string? text) => text is null ? "-" : text.Length > 200 ? text[..200] + "…" : text;
}
