// Host-command latency, SSH.NET (ssh://) against OpenSSH with ControlMaster (openssh://), on one private sshd:
//   dotnet run -c Release --project benchmarks/BackupWorkflows.Kvm.SshBenchmark [sequential-runs] [parallel-batches]
// Prints median and p99 of a trivial command run one after another, and of a batch of 100 commands in parallel
// (the batch's wall time), for each client, and the SSH.NET/OpenSSH ratios.
using System.Diagnostics;
using System.Globalization;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Testing.Ssh;

var sequential = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var batches = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
await using var sshd = new SshdFixture();
await sshd.InitializeAsync();

var clients = new (string Name, Func<IHostShell> Create)[]
{
    ("openssh (ControlMaster)", () => sshd.CreateShell(scheme: "openssh")),
    ("ssh.net (10 channels)", () => SshNet(10)),
    ("ssh.net (100 channels)", () => SshNet(100)),
};
var results = new List<(string Name, Stats One, Stats Hundred)>();
foreach (var (name, create) in clients)
{
    await using var shell = create();
    await shell.RunAsync(["true"]); // connect first: latency of a warm connection
    var one = new List<double>();
    for (var i = 0; i < sequential; i++)
    {
        var watch = Stopwatch.StartNew();
        await shell.RunAsync(["true"]);
        one.Add(watch.Elapsed.TotalMilliseconds);
    }

    var hundred = new List<double>();
    for (var b = 0; b < batches; b++)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => shell.RunAsync(["true"])));
        hundred.Add(watch.Elapsed.TotalMilliseconds);
    }

    results.Add((name, Stats.Of(one), Stats.Of(hundred)));
    Console.WriteLine($"{name,-24} trivial: median {results[^1].One.Median,7:F1} ms  p99 {results[^1].One.P99,7:F1} ms   "
                      + $"100 parallel: median {results[^1].Hundred.Median,7:F0} ms  p99 {results[^1].Hundred.P99,7:F0} ms");
}

var baseline = results[0];
foreach (var r in results.Skip(1))
{
    Console.WriteLine($"{r.Name} / {baseline.Name}: trivial median x{r.One.Median / baseline.One.Median:F2}, p99 x{r.One.P99 / baseline.One.P99:F2}; "
                      + $"100 parallel median x{r.Hundred.Median / baseline.Hundred.Median:F2}, p99 x{r.Hundred.P99 / baseline.Hundred.P99:F2}");
}

IHostShell SshNet(int channels) => new SshHostShell(HostShellFactory.ParseSsh(sshd.HostUri) with
{
    IdentityFile = sshd.IdentityFile, KnownHostsFile = sshd.KnownHostsFile, MaxChannels = channels,
});

/// <summary>Median and 99th percentile of samples in milliseconds.</summary>
internal sealed record Stats(double Median, double P99)
{
    public static Stats Of(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Stats(sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)]);
    }
}
