using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Output;
using Spectre.Console;

namespace BackupWorkflows.Cli.Commands;

/// <summary>
/// Follows an instance until it ends, drawing a live progress bar of the running activity
/// (bytes, rate, ETA); on failure prints the incidents. Polls the instance (twice a second) rather
/// than the event stream, so it works against any node of a cluster.
/// </summary>
internal static class InstanceWaiter
{
    private static readonly string[] Ended = ["Finished", "Faulted", "Cancelled"];

    /// <summary>Prints the started instance, and waits for it when asked (<paramref name="finished"/> then prints
    /// more about an instance that finished, outside JSON mode); returns the exit code.</summary>
    public static async Task<int> ReportAsync(CliContext c, JsonNode? started, bool wait, string what, CancellationToken ct,
        Action<CliContext, JsonNode>? finished = null)
    {
        var id = started?["instanceId"]?.GetValue<string>() ?? throw new Client.ApiError(0, "Unexpected answer", "no instanceId");
        if (!wait)
        {
            c.Out.Done($"{what} started: instance {id} (follow it with: bwf run show {id}).", started);
            return 0;
        }
        var final = await WaitAsync(c, id, ct);
        var code = Summarise(c, final, what);
        if (code == 0 && !c.Out.Json) finished?.Invoke(c, final);
        return code;
    }

    /// <summary>Waits for the end of an instance with a live progress display (none in JSON mode).</summary>
    public static async Task<JsonNode> WaitAsync(CliContext c, string id, CancellationToken ct)
    {
        await using var changes = new InstanceChanges(c.Api, id, ct);
        if (c.Out.Json || !c.Out.Console.Profile.Capabilities.Interactive)
        {
            // No live display: JSON prints nothing until the end; a log or pipe gets one line per change.
            var seen = new Dictionary<string, string>();
            while (true)
            {
                var state = await c.Api.GetAsync($"api/instances/{CommandSyntax.Seg(id)}", ct);
                if (!c.Out.Json)
                {
                    foreach (var (activityId, a) in state?["activities"] as JsonObject ?? [])
                    {
                        var line = $"{a?["status"]}{(a?["progress"] is JsonObject p ? $" {CommandSyntax.Bytes(p["done"])} of {CommandSyntax.Bytes(p["total"])} {p["message"]}" : "")}";
                        if (a?["status"]?.ToString() == "pending" || seen.GetValueOrDefault(activityId) == line) continue;
                        seen[activityId] = line;
                        c.Out.Console.WriteLine($"    {activityId}: {line}");
                    }
                }
                if (Ended.Contains(state?["status"]?.ToString())) return state!;
                await changes.NextAsync(ct);
            }
        }

        JsonNode? last = null;
        await c.Out.Console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                while (true)
                {
                    last = await c.Api.GetAsync($"api/instances/{CommandSyntax.Seg(id)}", ct);
                    foreach (var (activityId, state) in last?["activities"] as JsonObject ?? [])
                    {
                        var status = state?["status"]?.ToString();
                        if (status == "pending") continue;
                        if (!tasks.TryGetValue(activityId, out var task))
                            tasks[activityId] = task = progress.AddTask(Markup.Escape(activityId), maxValue: 1);
                        if (state?["progress"] is JsonObject p && p["total"]?.GetValue<long>() is > 0 and var total)
                        {
                            task.MaxValue = total;
                            task.Value = Math.Min(p["done"]!.GetValue<long>(), total);
                            if (p["message"]?.ToString() is { Length: > 0 } m) task.Description = Markup.Escape($"{activityId}: {m}");
                        }
                        if (status is "done") task.Value = task.MaxValue;
                        if (status is "failed") task.Description = Markup.Escape($"{activityId} (failed)");
                        if (status is "retrying") task.Description = Markup.Escape($"{activityId} (retrying, attempt {state?["attempt"]})");
                        if (status is "done" or "failed") task.StopTask();
                    }
                    if (Ended.Contains(last?["status"]?.ToString())) break;
                    await changes.NextAsync(ct);
                }
            });
        return last!;
    }

    /// <summary>Says how the instance ended; 0 only when it finished.</summary>
    public static int Summarise(CliContext c, JsonNode final, string what)
    {
        var status = final["status"]?.ToString();
        if (c.Out.Json) { c.Out.Raw(final); return status == "Finished" ? 0 : 1; }
        if (status == "Finished")
        {
            c.Out.Console.MarkupLine($"[green]{Markup.Escape(what)} finished[/] (instance {Markup.Escape(final["id"]?.ToString() ?? "")}).");
            return 0;
        }
        c.Out.Console.MarkupLine($"[red]{Markup.Escape(what)} {Markup.Escape(status ?? "?")}[/] (instance {Markup.Escape(final["id"]?.ToString() ?? "")}).");
        foreach (var incident in final["incidents"] as JsonArray ?? [])
            c.Out.Console.WriteLine($"  incident in {incident?["activityId"]} after {incident?["attempts"]} attempt(s): {incident?["message"]}");
        if (final["fault"]?.ToString() is { Length: > 0 } fault) c.Out.Console.WriteLine($"  fault: {fault}");
        return 1;
    }
}
