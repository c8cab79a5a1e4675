using BackupWorkflows.Cli;
using BackupWorkflows.Cli.Output;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var console = Terminal.Console(Console.Out, Console.IsOutputRedirected, Environment.GetEnvironmentVariable);
return await new BwfApp(console, Console.Error, Environment.GetEnvironmentVariable).RunAsync(args, cancel.Token);
