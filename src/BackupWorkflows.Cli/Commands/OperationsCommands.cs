using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.Kit;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf schedule …</c></summary>
internal static class ScheduleCommands
{
    public static Command Build(BwfApp app)
    {
        var vm = new System.CommandLine.Argument<string?>("VM") { Description = "VM to schedule (or --offering).", Arity = ArgumentArity.ZeroOrOne };
        var offering = Opt("--offering", "Schedule every VM of this offering.");
        var cron = Opt("--cron", "hourly, daily, weekly, monthly, or a cron expression (5 fields Unix, 6-7 Quartz).", required: true);
        var keep = Int("--keep", "Keep at most N completed backups per VM (older ones are deleted chain-safely).");
        var zone = Opt("--time-zone", "IANA time zone the cron is read in (default UTC).");
        var create = app.Action(Cmd("create", "Schedules backups.", vm, offering, cron, keep, zone), async (c, ct) =>
        {
            var p = c.Parse;
            if ((p.GetValue(vm) is null) == (p.GetValue(offering) is null)) throw new CliUsageException("give a VM or --offering NAME (one of them).");
            var schedule = await c.Api.PostAsync("api/schedules", Body(("vm", p.GetValue(vm)), ("offering", p.GetValue(offering)),
                ("cron", p.GetValue(cron)), ("keep", p.GetValue(keep)), ("timeZone", p.GetValue(zone))), ct);
            c.Out.Done($"Created schedule {schedule?["id"]}; next run {Time(schedule?["nextFireAt"]) ?? "never"}.", schedule);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists schedules."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/schedules", ct), Column.Of("ID", "id"), Column.Of("VM", "vm"), Column.Of("OFFERING", "offering"),
                Column.Of("CRON", "cron"), Column.Of("TIME ZONE", "timeZone"), Column.Of("KEEP", "keep"), new Column("NEXT", r => Time(r?["nextFireAt"])));
            return 0;
        });
        var id = Arg("ID", "Schedule id.");
        var delete = app.Action(Cmd("delete", "Deletes a schedule.", id), async (c, ct) =>
        {
            await c.Api.DeleteAsync($"api/schedules/{Seg(c.Parse.GetValue(id)!)}", ct);
            c.Out.Done($"Deleted schedule {c.Parse.GetValue(id)}.");
            return 0;
        });
        return Group("schedule", "Backup schedules.", create, list, delete);
    }
}

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
                Body(("version", c.Parse.GetValue(publishVersion))), ct);
            c.Out.Done($"Published {definition?["id"]} v{definition?["version"]}.", definition);
            return 0;
        });
        var runId = Arg("ID", "Definition id.");
        var input = new Option<string[]>("--input") { Description = "Input as key=value (value parsed as JSON when it is JSON).", AllowMultipleArgumentsPerToken = true };
        var wait = Flag("--wait", "Show progress until the instance ends.");
        var run = app.Action(Cmd("run", "Starts an instance of the published version.", runId, input, wait), async (c, ct) =>
        {
            var started = await c.Api.PostAsync($"api/workflows/{Seg(c.Parse.GetValue(runId)!)}/run",
                new JsonObject { ["input"] = ParseInput(c.Parse.GetValue(input) ?? []) }, ct);
            return await InstanceWaiter.ReportAsync(c, started, c.Parse.GetValue(wait), $"Workflow {c.Parse.GetValue(runId)}", ct);
        });
        return Group("workflow", "Workflow definitions.", list, show, export, import, publish, run);
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

/// <summary><c>bwf run …</c> (workflow instances)</summary>
internal static class RunCommands
{
    public static Command Build(BwfApp app)
    {
        var status = Opt("--status", "Running, Waiting, Suspended, Finished, Faulted or Cancelled.");
        var definition = Opt("--workflow", "Only instances of this definition.");
        var list = app.Action(Cmd("list", "Lists instances, newest first.", status, definition), async (c, ct) =>
        {
            var query = new List<string>();
            if (c.Parse.GetValue(status) is { } s) query.Add($"status={Seg(s)}");
            if (c.Parse.GetValue(definition) is { } d) query.Add($"definitionId={Seg(d)}");
            c.Out.Table(await c.Api.GetAsync("api/instances" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), ct),
                Column.Of("ID", "id"), Column.Of("WORKFLOW", "definitionId"), Column.Of("VERSION", "definitionVersion"), Column.Of("STATUS", "status"),
                new Column("CREATED", r => Time(r?["createdAt"])), new Column("FINISHED", r => Time(r?["finishedAt"])));
            return 0;
        });
        var showId = Arg("ID", "Instance id.");
        var show = app.Action(Cmd("show", "Shows an instance: activities, progress, incidents.", showId), async (c, ct) =>
        {
            var instance = await c.Api.GetAsync($"api/instances/{Seg(c.Parse.GetValue(showId)!)}", ct);
            if (c.Out.Json) { c.Out.Raw(instance); return 0; }
            c.Out.Console.WriteLine($"{instance?["id"]}: {instance?["definitionId"]} v{instance?["definitionVersion"]} {instance?["status"]}");
            var rows = new JsonArray((instance?["activities"] as JsonObject ?? []).Select(a => (JsonNode?)new JsonObject
            {
                ["id"] = a.Key, ["status"] = a.Value?["status"]?.DeepClone(), ["attempt"] = a.Value?["attempt"]?.DeepClone(),
                ["outcome"] = a.Value?["outcome"]?.DeepClone(),
                ["progress"] = a.Value?["progress"] is JsonObject p ? $"{p["done"]}/{p["total"]} {p["message"]}" : null,
            }).ToArray());
            c.Out.Table(rows, Column.Of("ACTIVITY", "id"), Column.Of("STATUS", "status"), Column.Of("ATTEMPT", "attempt"),
                Column.Of("OUTCOME", "outcome"), Column.Of("PROGRESS", "progress"));
            foreach (var incident in instance?["incidents"] as JsonArray ?? [])
                c.Out.Console.WriteLine($"incident in {incident?["activityId"]}: {incident?["message"]}");
            return 0;
        });
        var cancelId = Arg("ID", "Instance id.");
        var cancel = app.Action(Cmd("cancel", "Cancels an instance.", cancelId), async (c, ct) =>
        {
            await c.Api.PostAsync($"api/instances/{Seg(c.Parse.GetValue(cancelId)!)}/cancel", null, ct);
            c.Out.Done($"Cancelled {c.Parse.GetValue(cancelId)}.");
            return 0;
        });
        var retryId = Arg("ID", "Instance id.");
        var retry = app.Action(Cmd("retry", "Retries a faulted instance from the failed activity.", retryId), async (c, ct) =>
        {
            await c.Api.PostAsync($"api/instances/{Seg(c.Parse.GetValue(retryId)!)}/retry", null, ct);
            c.Out.Done($"Retrying {c.Parse.GetValue(retryId)}.");
            return 0;
        });
        return Group("run", "Workflow instances.", list, show, cancel, retry);
    }
}
