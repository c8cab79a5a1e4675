using System.CommandLine;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf job list</c></summary>
internal static class JobCommands
{
    public static Command Build(BwfApp app)
    {
        var type = Opt("--type", "compression or validation.");
        type.AcceptOnlyFromAmong("compression", "validation");
        var state = Opt("--state", "queued, running, done, failed or cancelled.");
        state.AcceptOnlyFromAmong("queued", "running", "done", "failed", "cancelled");
        var list = app.Action(Cmd("list", "Lists compression and validation jobs: state, why a queued one waits, how a failed one failed.", type, state), async (c, ct) =>
        {
            var filters = new[] { ("type", c.Parse.GetValue(type)), ("state", c.Parse.GetValue(state)) }.Where(f => f.Item2 is not null).Select(f => $"{f.Item1}={f.Item2}");
            var query = string.Join("&", filters);
            c.Out.Table(await c.Api.GetAsync($"api/jobs{(query.Length > 0 ? "?" + query : "")}", ct), Column.Of("ID", "id"), Column.Of("TYPE", "type"),
                Column.Of("BACKUP", "backupId"), Column.Of("HOST", "host"), Column.Of("STATE", "state"), Column.Of("ATTEMPTS", "attempts"),
                new Column("PROGRESS", r => r?["progress"] is { } p && p["total"]?.GetValue<long>() is > 0 and var total
                    ? $"{100 * p["done"]!.GetValue<long>() / total}%" : ""),
                Column.Of("REASON", "reason"), new Column("CREATED", r => Time(r?["createdAt"])));
            return 0;
        });
        return Group("job", "Background jobs.", list);
    }
}
