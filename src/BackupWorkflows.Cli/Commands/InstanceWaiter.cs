using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
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
    private static bool Ended(InstanceDto instance) =>
        instance.Status is WorkflowStatus.Finished or WorkflowStatus.Faulted or WorkflowStatus.Cancelled;

    /// <summary>Prints the started instance, and waits for it when asked; returns the exit code.</summary>
    public static async Task<int> ReportAsync(CliContext c, JsonNode? started, bool wait, string what, CancellationToken ct)
    {
        var id = ApiClient.Read<InstanceStarted>(started).InstanceId;
        if (!wait)
        {
            c.Out.Done($"{what} started: instance {id} (follow it with: bwf run show {id}).", started);
            return 0;
        }
        var final = await WaitAsync(c, id, ct);
        return Summarise(c, final, what);
    }

    /// <summary>Waits for the end of an instance with a live progress display (none in JSON mode).</summary>
    public static async Task<JsonNode> WaitAsync(CliContext c, string id, CancellationToken ct)
    {
        if (c.Out.Json || !c.Out.Console.Profile.Capabilities.Interactive)
        {
            // No live display: JSON prints nothing until the end; a log or pipe gets one line per change.
            var seen = new Dictionary<string, string>();
            while (true)
            {
                var answer = await c.Api.GetAsync($"api/instances/{CommandSyntax.Seg(id)}", ct);
                var state = ApiClient.Read<InstanceDto>(answer);
                if (!c.Out.Json)
                {
                    foreach (var (activityId, a) in state.Activities)
                    {
                        var line = $"{a.Status}{(a.Progress is { } p ? $" {CommandSyntax.Bytes(p.Done)} of {CommandSyntax.Bytes(p.Total)} {p.Message}" : "")}";
                        if (a.Status == "pending" || seen.GetValueOrDefault(activityId) == line) continue;
                        seen[activityId] = line;
                        c.Out.Console.WriteLine($"    {activityId}: {line}");
                    }
                }
                if (Ended(state)) return answer!;
                await Task.Delay(500, ct);
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
                    var instance = ApiClient.Read<InstanceDto>(last);
                    foreach (var (activityId, state) in instance.Activities)
                    {
                        var status = state.Status;
                        if (status == "pending") continue;
                        if (!tasks.TryGetValue(activityId, out var task))
                            tasks[activityId] = task = progress.AddTask(Markup.Escape(activityId), maxValue: 1);
                        if (state.Progress is { Total: > 0 } p)
                        {
                            task.MaxValue = p.Total;
                            task.Value = Math.Min(p.Done, p.Total);
                            if (p.Message is { Length: > 0 } m) task.Description = Markup.Escape($"{activityId}: {m}");
                        }
                        if (status is "done") task.Value = task.MaxValue;
                        if (status is "failed") task.Description = Markup.Escape($"{activityId} (failed)");
                        if (status is "retrying") task.Description = Markup.Escape($"{activityId} (retrying, attempt {state.Attempt})");
                        if (status is "done" or "failed") task.StopTask();
                    }
                    if (Ended(instance)) break;
                    await Task.Delay(500, ct);
                }
            });
        return last!;
    }

    /// <summary>Says how the instance ended; 0 only when it finished.</summary>
    public static int Summarise(CliContext c, JsonNode final, string what)
    {
        var instance = ApiClient.Read<InstanceDto>(final);
        var finished = instance.Status == WorkflowStatus.Finished;
        if (c.Out.Json) { c.Out.Raw(final); return finished ? 0 : 1; }
        if (finished)
        {
            c.Out.Console.MarkupLine($"[green]{Markup.Escape(what)} finished[/] (instance {Markup.Escape(instance.Id)}).");
            return 0;
        }
        c.Out.Console.MarkupLine($"[red]{Markup.Escape(what)} {Markup.Escape(instance.Status.ToString())}[/] (instance {Markup.Escape(instance.Id)}).");
        foreach (var incident in instance.Incidents)
            c.Out.Console.WriteLine($"  incident in {incident.ActivityId} after {incident.Attempts} attempt(s): {incident.Message}");
        if (instance.Fault is { Length: > 0 } fault) c.Out.Console.WriteLine($"  fault: {fault}");
        return 1;
    }
}
