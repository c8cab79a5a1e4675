using System.CommandLine;
using static BackupWorkflows.Cli.Commands.Kit;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf demo</c>: a guided first backup and restore.</summary>
internal static class DemoCommand
{
    public static Command Build(BwfApp app) =>
        app.Action(Cmd("demo", "Creates a small guest, backs it up, changes it, backs it up incrementally, restores and validates it."),
            async (c, ct) =>
            {
                var workflows = await c.Api.GetAsync("api/workflows", ct);
                var published = (workflows as System.Text.Json.Nodes.JsonArray ?? [])
                    .Where(w => w?["publishedVersion"] is not null).Select(w => w?["id"]?.ToString()).ToHashSet();
                if (!published.Contains("backup") || !published.Contains("restore"))
                    throw new CliUsageException("the demo needs the published 'backup' and 'restore' workflows, which this server does not have yet.");
                throw new CliUsageException("the demo is not available in this version.");
            });
}
