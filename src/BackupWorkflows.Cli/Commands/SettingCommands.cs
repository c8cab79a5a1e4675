using System.CommandLine;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Client.Models;
using BackupWorkflows.Cli.Output;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Commands;

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
            var answer = await c.Api.PutAsync($"api/settings/{Seg(c.Parse.GetValue(name)!)}", new SetSettingRequest(c.Parse.GetValue(value)), ct);
            var setting = ApiClient.Read<SettingDto>(answer);
            c.Out.Done($"{setting.Name} = {setting.Value}", answer);
            return 0;
        });
        return Group("setting", "Server settings.", list, set);
    }
}
