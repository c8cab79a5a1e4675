using System.CommandLine;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.Kit;

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

/// <summary><c>bwf setting …</c></summary>
internal static class SettingCommands
{
    public static Command Build(BwfApp app)
    {
        var list = app.Action(Cmd("list", "Lists settings."), async (c, ct) =>
        {
            c.Out.Table(await c.Api.GetAsync("api/settings", ct), Column.Of("NAME", "name"), Column.Of("VALUE", "value"),
                Column.Of("DEFAULT", "default"), Column.Of("MEANING", "description"));
            return 0;
        });
        var name = Arg("NAME", "Setting name.");
        var value = Arg("VALUE", "New value.");
        var set = app.Action(Cmd("set", "Changes a setting.", name, value), async (c, ct) =>
        {
            var setting = await c.Api.PutAsync($"api/settings/{Seg(c.Parse.GetValue(name)!)}", Body(("value", c.Parse.GetValue(value))), ct);
            c.Out.Done($"{setting?["name"]} = {setting?["value"]}", setting);
            return 0;
        });
        return Group("setting", "Server settings.", list, set);
    }
}

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
            var key = await c.Api.PostAsync("api/keys", Body(("name", c.Parse.GetValue(name)), ("role", c.Parse.GetValue(role))), ct);
            c.Out.Done($"Created key {key?["name"]} ({key?["role"]}); it is shown only now:\n{key?["key"]}", key);
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
