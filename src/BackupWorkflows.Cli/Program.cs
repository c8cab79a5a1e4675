using BackupWorkflows.Cli;
using Spectre.Console;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
// Piped output has no terminal width; a wide one keeps table rows on one line for grep and less.
if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 220;
return await new BwfApp(AnsiConsole.Console, Console.Error, Environment.GetEnvironmentVariable).RunAsync(args, cancel.Token);
