using System.CommandLine;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

/// <summary><c>bwf key …</c></summary>
internal static class KeyCommands
{
    public static Command Build(BwfApp app)
    {
        var name = Arg("NAME", "Key name.");
        var role = Opt("--role", "viewer, operator or admin.", required: true);
        role.AcceptOnlyFromAmong("viewer", "operator", "admin");
        var create = app.Action(Cmd("create", "Creates an API key (shown once).", name, role), async (c, ct) =>
        {
            var answer = await c.Api.PostAsync("api/keys", new CreateKeyRequest(name: c.Parse.GetValue(name), role: c.Parse.GetValue(role)), ct);
            var key = ApiClient.Read<CreatedKeyDto>(answer);
            c.Out.Done($"Created key {key.Name} ({key.Role}); it is shown only now:\n{key.Key}", answer);
            return 0;
        });
        var list = app.Action(Cmd("list", "Lists API keys (names and roles)."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/keys", ct), Column.Of("NAME", "name"), Column.Of("ROLE", "role"),
                new Column("CREATED", r => Time(r?["createdAt"])));
            return 0;
        });
        var revokeName = Arg("NAME", "Key name.");
        var revoke = app.Action(Cmd("revoke", "Revokes an API key.", revokeName), async (c, ct) =>
        {
            await c.Api.DeleteAsync($"api/keys/{Seg(c.Parse.GetValue(revokeName)!)}", ct);
            c.Out.Done($"Revoked key {c.Parse.GetValue(revokeName)}.");
            return 0;
        });
        return Group("key", "API keys.", create, list, revoke);
    }
}
