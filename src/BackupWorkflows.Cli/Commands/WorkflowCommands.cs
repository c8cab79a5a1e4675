using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf workflow …</c></summary>
internal static class WorkflowCommands
{
    public static Command Build(BwfApp app)
    {
        var list = app.Action(Cmd("list", "Lists workflow definitions."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/workflows", ct), Column.Of("ID", "id"), Column.Of("NAME", "name"),
                Column.Of("LATEST", "latestVersion"), Column.Of("PUBLISHED", "publishedVersion"), new Column("UPDATED", r => Time(r?["updatedAt"])));
            return 0;
        });
        var showId = Arg("ID", "Definition id.");
        var version = Int("--version", "Version (default: latest).");
        var show = app.Action(Cmd("show", "Shows a definition.", showId, version), async (c, ct) =>
        {
            var definition = await c.Api.GetAsync($"api/workflows/{Seg(c.Parse.GetValue(showId)!)}{Version(c.Parse.GetValue(version))}", ct);
            if (c.Out.Json) { c.Out.Raw(definition); return 0; }
            c.Out.Console.WriteLine($"{definition?["id"]} v{definition?["version"]} ({(definition?["isPublished"]?.GetValue<bool>() == true ? "published" : "draft")}): {definition?["name"]}");
            c.Out.Table(definition?["activities"], Column.Of("ACTIVITY", "id"), Column.Of("TYPE", "type"), Column.Of("NAME", "displayName"));
            c.Out.Table(definition?["connections"], Column.Of("FROM", "source"), Column.Of("OUTCOME", "outcome"), Column.Of("TO", "target"));
            return 0;
        });
        var exportId = Arg("ID", "Definition id.");
        var exportVersion = Int("--version", "Version (default: latest).");
        var file = Opt("--file", "Write to this file instead of standard output.");
        var export = app.Action(Cmd("export", "Prints a definition as JSON.", exportId, exportVersion, file), async (c, ct) =>
        {
            var json = await c.Api.GetTextAsync($"api/workflows/{Seg(c.Parse.GetValue(exportId)!)}/export{Version(c.Parse.GetValue(exportVersion))}", ct);
            if (c.Parse.GetValue(file) is { } path) await File.WriteAllTextAsync(path, json, ct);
            else { c.Out.Console.Profile.Out.Writer.WriteLine(json); }
            return 0;
        });
        var importFile = Arg("FILE", "Definition JSON file.");
        var publishNow = Flag("--publish", "Publish it too.");
        var import = app.Action(Cmd("import", "Imports a definition from a JSON file.", importFile, publishNow), async (c, ct) =>
        {
            var path = c.Parse.GetValue(importFile)!;
            if (!File.Exists(path)) throw new CliUsageException($"no file {path}");
            var definition = await c.Api.PostRawAsync($"api/workflows/import?publish={(c.Parse.GetValue(publishNow) ? "true" : "false")}",
                await File.ReadAllTextAsync(path, ct), ct);
            c.Out.Done($"Imported {definition?["id"]} v{definition?["version"]}{(definition?["isPublished"]?.GetValue<bool>() == true ? " (published)" : "")}.", definition);
            return 0;
        });
        var publishId = Arg("ID", "Definition id.");
        var publishVersion = Int("--version", "Version (default: latest).");
        var publish = app.Action(Cmd("publish", "Publishes a version.", publishId, publishVersion), async (c, ct) =>
        {
            var definition = await c.Api.PostAsync($"api/workflows/{Seg(c.Parse.GetValue(publishId)!)}/publish",
                new PublishRequest(c.Parse.GetValue(publishVersion)), ct);
            c.Out.Done($"Published {definition?["id"]} v{definition?["version"]}.", definition);
            return 0;
        });
        var unpublishId = Arg("ID", "Definition id.");
        var unpublish = app.Action(Cmd("unpublish", "Unpublishes a definition: its triggers stop; running instances go on.", unpublishId), async (c, ct) =>
        {
            var result = await c.Api.PostAsync($"api/workflows/{Seg(c.Parse.GetValue(unpublishId)!)}/unpublish", new JsonObject(), ct);
            c.Out.Done(result?["wasPublished"]?.GetValue<bool>() == true
                ? $"Unpublished {result?["id"]}; its triggers are stopped." : $"{result?["id"]} was not published.", result);
            return 0;
        });
        var triggers = app.Action(Cmd("triggers", "Lists the triggers of published workflows (cron, HTTP hooks, domain events)."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/triggers", ct), Column.Of("WORKFLOW", "workflowId"), Column.Of("VERSION", "version"),
                Column.Of("ACTIVITY", "activityId"), Column.Of("TYPE", "type"), new Column("FIRES ON", FiresOn));
            return 0;
        });
        var runId = Arg("ID", "Definition id.");
        var input = new Option<string[]>("--input") { Description = "Input as key=value (value parsed as JSON when it is JSON).", AllowMultipleArgumentsPerToken = true };
        var wait = Flag("--wait", "Show progress until the instance ends.");
        var run = app.Action(Cmd("run", "Starts an instance of the published version.", runId, input, wait), async (c, ct) =>
        {
            var started = await c.Api.PostAsync($"api/workflows/{Seg(c.Parse.GetValue(runId)!)}/run",
                new RunRequest(ParseInput(c.Parse.GetValue(input) ?? [])), ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(wait), $"Workflow {c.Parse.GetValue(runId)}", ct);
        });
        return Group("workflow", "Workflow definitions.", list, show, export, import, publish, unpublish, triggers, run);
    }

    /// <summary>What fires a trigger: a hook's method and path, a cron and its zone, or an event and its filter.</summary>
    private static string FiresOn(JsonNode? row)
    {
        var settings = row?["settings"];
        if (row?["hookPath"] is { } hook) return $"{settings?["method"]} {hook} (role {settings?["role"]})";
        if (row?["type"]?.ToString() == "Trigger.Event")
        {
            var filter = new[] { "vm", "offering", "host", "result" }.Where(f => settings?[f]?.ToString() is { Length: > 0 })
                .Select(f => $"{f}={settings![f]}").ToList();
            return $"event {settings?["event"]}" + (filter.Count > 0 ? $" ({string.Join(", ", filter)})" : " (any)");
        }
        return $"{settings?["cron"]} ({settings?["timeZone"]})";
    }

    private static string Version(int? version) => version is null ? "" : $"?version={version}";

    /// <summary><c>key=value</c> pairs to a JSON object; values that parse as JSON keep their type.</summary>
    internal static JsonObject ParseInput(IEnumerable<string> pairs)
    {
        var input = new JsonObject();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new CliUsageException($"--input '{pair}' is not key=value.");
            var value = pair[(eq + 1)..];
            JsonNode? node;
            try { node = JsonNode.Parse(value); }
            catch (JsonException) { node = JsonValue.Create(value); }
            input[pair[..eq]] = node;
        }
        return input;
    }
}
