using BackupWorkflows.Backup.Benchmarks;

// dotnet run -c Release --project benchmarks/BackupWorkflows.Backup.Benchmarks -- compression [GiB]
// dotnet run -c Release --project benchmarks/BackupWorkflows.Backup.Benchmarks -- quick-restore [GiB,GiB…]
// dotnet run -c Release --project benchmarks/BackupWorkflows.Backup.Benchmarks -- file-browse [ROUNDS]
var what = args.FirstOrDefault() ?? "all";
if (what is "compression" or "all")
    await CompressionBenchmark.RunAsync(args.Length > 1 && what == "compression" ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2);
if (what is "quick-restore" or "all")
    await QuickRestoreBenchmark.RunAsync(args.Length > 1 && what == "quick-restore"
        ? args[1].Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : [4, 16]);
if (what is "file-browse")
    await FileBrowseBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
if (what is "pipe" && args.Length > 1)
{
    // Raw speed of a host command's byte output into the process (HostCommandOptions.StandardOutputTarget).
    var watch = System.Diagnostics.Stopwatch.StartNew();
    await new BackupWorkflows.Kvm.Hosts.LocalHostShell().RunAsync(["cat", "--", args[1]],
        new BackupWorkflows.Kvm.Hosts.HostCommandOptions { StandardOutputTarget = Stream.Null });
    Console.WriteLine(FormattableString.Invariant($"pipe: {new FileInfo(args[1]).Length / watch.Elapsed.TotalSeconds / (1 << 20):F0} MiB/s"));
}
