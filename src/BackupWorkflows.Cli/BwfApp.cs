using System.CommandLine;
using BackupWorkflows.Cli.Client;
using BackupWorkflows.Cli.Commands;
using BackupWorkflows.Cli.Output;
using BackupWorkflows.Cli.Server;
using Spectre.Console;

namespace BackupWorkflows.Cli;

/// <summary>What one command invocation works with.</summary>
/// <param name="Api">The REST client.</param>
/// <param name="Out">Table or JSON output.</param>
/// <param name="Parse">The parsed command line.</param>
public sealed record CliContext(ApiClient Api, Renderer Out, ParseResult Parse);

/// <summary>
/// The <c>bwf</c> command tree. Global options: <c>--server</c> (BWF_SERVER), <c>--api-key</c>
/// (BWF_API_KEY), <c>--output table|json</c>. Exit code 0 on success, 1 on any failure, 2 on a bad command line.
/// </summary>
public sealed class BwfApp
{
    /// <summary>Server used when neither --server nor BWF_SERVER is given.</summary>
    public const string DefaultServer = "http://127.0.0.1:5080";

    private readonly IAnsiConsole _console;
    private readonly TextWriter _error;
    private readonly HttpMessageHandler? _handler;
    private readonly Func<string, string?> _environment;

    /// <summary>--server.</summary>
    public Option<string> Server { get; }

    /// <summary>--api-key.</summary>
    public Option<string?> ApiKey { get; }

    /// <summary>--output.</summary>
    public Option<string> Output { get; }

    /// <summary>Creates the app; <paramref name="environment"/> reads variables (tests pass their own).</summary>
    public BwfApp(IAnsiConsole console, TextWriter error, Func<string, string?> environment, HttpMessageHandler? handler = null)
    {
        _console = console;
        _error = error;
        _handler = handler;
        Server = new Option<string>("--server") { Description = "Server URL (env BWF_SERVER).", Recursive = true,
            DefaultValueFactory = _ => environment("BWF_SERVER") is { Length: > 0 } s ? s : DefaultServer };
        // No DefaultValueFactory: help prints defaults, and the key must never be printed. It is read in Action.
        ApiKey = new Option<string?>("--api-key") { Description = "API key (env BWF_API_KEY; prefer it, a command line is visible to other users in ps).", Recursive = true };
        _environment = environment;
        Output = new Option<string>("--output", "-o") { Description = "table or json.", Recursive = true,
            DefaultValueFactory = _ => "table" };
        Output.AcceptOnlyFromAmong("table", "json");
    }

    /// <summary>Parses and runs a command line; returns the exit code.</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken ct = default)
    {
        var root = new RootCommand("bwf: backups of KVM virtual machines as durable workflows (a client of the BackupWorkflows server).");
        root.Options.Add(Server);
        root.Options.Add(ApiKey);
        root.Options.Add(Output);
        foreach (var command in new[]
        {
            ServerCommand.Build(), HostCommands.Build(this), RepoCommands.Build(this), OfferingCommands.Build(this),
            VmCommands.Build(this), BackupCommands.Build(this), SnapshotCommands.Build(this), RestoreCommands.Build(this), ScheduleCommands.Build(this),
            WorkflowCommands.Build(this), RunCommands.Build(this), JobCommands.Build(this), SettingCommands.Build(this),
            KeyCommands.Build(this), DemoCommand.Build(this),
        })
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        var exit = await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = _console.Profile.Out.Writer, Error = _error, EnableDefaultExceptionHandler = false,
        }, ct);
        return parse.Errors.Count > 0 ? 2 : exit;
    }

    /// <summary>Sets <paramref name="command"/>'s action: builds the client, runs, turns API errors into messages and exit code 1.</summary>
    public Command Action(Command command, Func<CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var api = new ApiClient(parse.GetValue(Server)!, parse.GetValue(ApiKey) ?? _environment("BWF_API_KEY"), _handler);
                return await action(new CliContext(api, new Renderer(_console, parse.GetValue(Output) == "json"), parse), ct);
            }
            catch (ApiError e)
            {
                await _error.WriteLineAsync($"error: {e.Title}{(e.Status > 0 ? $" ({e.Status})" : "")}: {e.Detail}");
                foreach (var (field, messages) in e.Errors)
                    foreach (var m in messages) await _error.WriteLineAsync($"  {field}: {m}");
                return 1;
            }
            catch (CliUsageException e)
            {
                await _error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}

/// <summary>A command line that parsed but makes no sense (e.g. two exclusive options).</summary>
public sealed class CliUsageException(string message) : Exception(message);
