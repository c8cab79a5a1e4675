using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
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
        var list = app.Action(Cmd("list", "Lists compression and validation jobs.", type), async (c, ct) =>
        {
            var query = c.Parse.GetValue(type) is { } t ? $"?type={t}" : "";
            c.Out.Table(await c.Api.GetAsync($"api/jobs{query}", ct), Column.Of("ID", "id"), Column.Of("TYPE", "type"),
                Column.Of("BACKUP", "backupId"), Column.Of("STATUS", "status"), new Column("CREATED", r => Time(r?["createdAt"])),
                Column.Of("ERROR", "error"));
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

/// <summary><c>bwf server</c>: runs the server in the foreground.</summary>
/// <remarks>
/// It starts the server as its own process rather than in-process: bwf stays a light API client
/// (no ASP.NET Core, EF Core or Quartz in its binary), and the server keeps its own process
/// lifetime, signals and logs exactly as under systemd or deploy/run.sh.
/// </remarks>
internal static class ServerCommand
{
    public static Command Build()
    {
        var urls = Opt("--urls", "Listening address (default http://127.0.0.1:5080).");
        var data = Opt("--data", "Data directory (default ./data).");
        var command = Cmd("server", "Runs the BackupWorkflows server in the foreground.", urls, data);
        command.SetAction(async (parse, ct) =>
        {
            var start = Locate();
            if (start is null)
            {
                await Console.Error.WriteLineAsync("error: cannot find the server; set BWF_SERVER_DLL to BackupWorkflows.Server.dll or run from the repository.");
                return 1;
            }
            foreach (var (option, value) in new[] { ("--urls", parse.GetValue(urls)), ("--data", Absolute(parse.GetValue(data))) })
            {
                if (value is null) continue;
                start.ArgumentList.Add(option);
                start.ArgumentList.Add(value);
            }
            using var process = Process.Start(start)!;
            // bwf must not leave an orphaned server behind: a TERM/INT/QUIT sent to bwf is passed on
            // as TERM (graceful stop); whatever is still running 15 s later is killed with its tree.
            void Forward(PosixSignalContext signal)
            {
                signal.Cancel = true;
                if (!process.HasExited) Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })?.Dispose();
            }
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
            using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Forward);
            try { await process.WaitForExitAsync(ct); }
            catch (OperationCanceledException) { Forward(new PosixSignalContext(PosixSignal.SIGINT)); }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(CancellationToken.None); }
            return process.ExitCode;
        });
        return command;
    }

    /// <summary>The server DLL next to bwf, in BWF_SERVER_DLL, or the project in the repository (dotnet run).</summary>
    private static ProcessStartInfo? Locate()
    {
        var dll = Environment.GetEnvironmentVariable("BWF_SERVER_DLL") is { Length: > 0 } configured
            ? configured : Path.Combine(AppContext.BaseDirectory, "BackupWorkflows.Server.dll");
        if (File.Exists(dll)) return new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "src", "BackupWorkflows.Server");
            if (Directory.Exists(project))
                return new ProcessStartInfo("dotnet") { ArgumentList = { "run", "-c", "Release", "--project", project, "--" } };
        }
        return null;
    }
}
