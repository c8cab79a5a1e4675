using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

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
