using System.Text.Json.Nodes;
using BackupWorkflows.ApiModels;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Server.Tests.Api;

/// <summary>
/// The served OpenAPI document is the one source of the clients' types: docs/openapi.json must be what the server serves
/// now, every operation must describe its answer, and the CLI's generated models must be what the document generates
/// (the studio's schema.ts is checked by studio/src/api/schema.test.ts). Any difference: run deploy/openapi.sh.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OpenApiContractTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Regenerate = "run deploy/openapi.sh to regenerate docs/openapi.json and the clients' types";
    private static readonly string DocumentPath = Path.Combine(RepositoryRoot.Path, "docs", "openapi.json");

    [Fact]
    public async Task CheckedInDocument_IsTheServedDocument()
    {
        var served = await (await server.ClientWith(null).GetAsync("/openapi/v1.json")).OkJsonAsync();
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(DocumentPath))!;
        var difference = FirstDifference("$", served, checkedIn);
        Assert.True(difference is null, $"docs/openapi.json differs from the served document at {difference}: {Regenerate}.");
    }

    [Fact]
    public async Task EveryOperation_DescribesWhatItAnswers()
    {
        var document = await (await server.ClientWith(null).GetAsync("/openapi/v1.json")).OkJsonAsync();
        var undescribed = new List<string>();
        foreach (var (_, item) in document["paths"]!.AsObject())
        foreach (var (_, operation) in item!.AsObject())
        {
            var success = operation!["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).ToList();
            // A 202 without body (cancel, retry) and a 204 say all there is; any other success carries a schema.
            var described = success.Count > 0 && success.All(r => r.Key is "204" or "202" && r.Value?["content"] is null
                || r.Value?["content"]?.AsObject().All(c => c.Value?["schema"] is not null) == true);
            if (!described) undescribed.Add(operation["operationId"]!.GetValue<string>());
        }
        Assert.True(undescribed.Count == 0, $"Operations without a response schema: {string.Join(", ", undescribed)}.");
    }

    [Fact]
    public async Task CliModels_AreGeneratedFromTheCheckedInDocument()
    {
        var generated = await CliModels.GenerateAsync(await File.ReadAllTextAsync(DocumentPath));
        var checkedIn = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "BackupWorkflows.Cli", "Client", "ApiModels.g.cs"));
        Assert.True(generated == checkedIn.ReplaceLineEndings("\n"),
            $"src/BackupWorkflows.Cli/Client/ApiModels.g.cs is not what docs/openapi.json generates: {Regenerate}.");
    }

    /// <summary>The JSON path of the first place where <paramref name="a"/> and <paramref name="b"/> differ, or null.</summary>
    private static string? FirstDifference(string path, JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    if (!x.ContainsKey(key) || !y.ContainsKey(key)) return $"{path}.{key} (only in the {(x.ContainsKey(key) ? "served" : "checked-in")} one)";
                    if (FirstDifference($"{path}.{key}", x[key], y[key]) is { } found) return found;
                }
                return null;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                    if (i >= x.Count || i >= y.Count) return $"{path}[{i}] (lengths {x.Count} and {y.Count})";
                    else if (FirstDifference($"{path}[{i}]", x[i], y[i]) is { } found) return found;
                return null;
            default:
                return JsonNode.DeepEquals(a, b) ? null : path;
        }
    }
}
