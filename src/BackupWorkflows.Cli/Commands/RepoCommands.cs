using System.CommandLine;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf repo …</c></summary>
internal static class RepoCommands
{
    public static Command Build(BwfApp app)
    {
        var name = Arg("NAME", "Repository name.");
        var path = Opt("--path", "Directory every host sees at this path.", required: true);
        var add = app.Action(Cmd("add", "Adds a backup repository.", name, path), async (c, ct) =>
        {
            var answer = await c.Api.PostAsync("api/repositories", new AddRepositoryRequest(capacityBytes: null, name: c.Parse.GetValue(name),
                path: Absolute(c.Parse.GetValue(path))), ct);
            var repo = ApiClient.Read<RepositoryDto>(answer);
            c.Out.Done($"Added repository {repo.Name} at {repo.Path}.", answer);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists repositories."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/repositories", ct), Column.Of("NAME", "name"), Column.Of("PATH", "path"),
                new Column("USED", r => Bytes(r?["usedBytes"])), new Column("CAPACITY", r => r?["capacityBytes"]?.GetValue<long>() is > 0 ? Bytes(r["capacityBytes"]) : "unbounded"));
            return 0;
        });
        var removeName = Arg("NAME", "Repository name.");
        var remove = app.Action(Cmd("remove", "Removes a repository without backups.", removeName), async (c, ct) =>
        {
            await c.Api.DeleteAsync($"api/repositories/{Seg(c.Parse.GetValue(removeName)!)}", ct);
            c.Out.Done($"Removed repository {c.Parse.GetValue(removeName)}.");
            return 0;
        });
        return Group("repo", "Backup repositories.", add, list, remove);
    }
}
