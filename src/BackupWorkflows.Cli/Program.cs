using BackupWorkflows.Cli;
using Spectre.Console;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await new BwfApp(AnsiConsole.Console, Console.Error, Environment.GetEnvironmentVariable).RunAsync(args, cancel.Token);
