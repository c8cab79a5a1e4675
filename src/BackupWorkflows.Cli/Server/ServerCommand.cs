using System.CommandLine;
using static BackupWorkflows.Cli.Commands.CommandSyntax;

namespace BackupWorkflows.Cli.Server;

/// <summary><c>bwf server</c>: runs the server in the foreground, as this very process.</summary>
/// <remarks>
/// bwf replaces itself with the server (<see cref="ProcessImage.Replace"/>, i.e. <c>execv</c>) rather than
/// starting it as a child: the pid a shell, a supervisor or a test holds is the server's, so every signal
/// (SIGKILL included) reaches the server and no orphan can keep the port. bwf stays a light API client (no
/// ASP.NET Core, EF Core or Quartz in its binary), and the server keeps its own start-up, signals and logs
/// exactly as under systemd or deploy/run.sh. Options bwf does not know (e.g. <c>--config FILE</c>,
/// <c>--database postgres</c>) are passed on to the server as they are.
/// </remarks>
internal static class ServerCommand
{
    public static Command Build()
    {
        var urls = Opt("--urls", "Listening address (default http://127.0.0.1:5080).");
        var data = Opt("--data", "Data directory (default ./data).");
        var command = Cmd("server", "Runs the BackupWorkflows server in the foreground (further options go to the server).", urls, data);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var dll = ServerProgram.Locate();
            if (dll is null)
            {
                await Console.Error.WriteLineAsync(
                    "error: cannot find BackupWorkflows.Server.dll next to bwf; set BWF_SERVER_DLL, install with deploy/install.sh, " +
                    "or build it in the repository (dotnet build -c Release src/BackupWorkflows.Server).");
                return 1;
            }
            List<string> arguments = [dll];
            foreach (var (option, value) in new[] { ("--urls", parse.GetValue(urls)), ("--data", Absolute(parse.GetValue(data))) })
            {
                if (value is not null) arguments.AddRange([option, value]);
            }
            arguments.AddRange(parse.UnmatchedTokens);
            var dotnet = ServerProgram.DotnetHost();
            // Returns only when the exec failed.
            var error = ProcessImage.Replace(dotnet, arguments);
            await Console.Error.WriteLineAsync($"error: cannot start {dotnet} {dll}: {error}");
            return 1;
        });
        return command;
    }
}
