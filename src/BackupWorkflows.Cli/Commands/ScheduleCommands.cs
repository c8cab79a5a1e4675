using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

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
        var workflow = Opt("--workflow", "Workflow each firing starts per VM (default: the backup workflow of the VM's offering).");
        var input = new Option<string[]>("--input")
        {
            Description = "Input of every start as key=value (value parsed as JSON when it is JSON); host and vm are set per VM, type defaults to auto.",
            AllowMultipleArgumentsPerToken = true,
        };
        var create = app.Action(Cmd("create", "Schedules backups (or another workflow) of a VM or an offering's VMs.", vm, offering, cron, keep, zone, workflow, input), async (c, ct) =>
        {
            var p = c.Parse;
            if ((p.GetValue(vm) is null) == (p.GetValue(offering) is null)) throw new CliUsageException("give a VM or --offering NAME (one of them).");
            var given = p.GetValue(input) is { Length: > 0 } pairs ? WorkflowCommands.ParseInput(pairs) : null;
            var answer = await c.Api.PostAsync("api/schedules", new CreateScheduleRequest(cron: p.GetValue(cron), input: given, keep: p.GetValue(keep),
                offering: p.GetValue(offering), timeZone: p.GetValue(zone), vm: p.GetValue(vm), workflow: p.GetValue(workflow)), ct);
            var schedule = ApiClient.Read<ScheduleDto>(answer);
            c.Out.Done($"Created schedule {schedule.Id}; next run {Time(schedule.NextFireAt) ?? "never"}.", answer);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists schedules."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/schedules", ct), Column.Of("ID", "id"), Column.Of("VM", "vm"), Column.Of("OFFERING", "offering"),
                Column.Of("CRON", "cron"), Column.Of("TIME ZONE", "timeZone"), Column.Of("KEEP", "keep"),
                new Column("WORKFLOW", r => Column.Text(r?["workflow"]) is { Length: > 0 } w ? w : "(offering's backup)"),
                new Column("NEXT", r => Time(r?["nextFireAt"])));
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
