using System.Diagnostics;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Hosting;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Engine;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Kvm.Domains;
using BackupWorkflows.Kvm.Hosts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Backup speed benchmark (issue 3). Measures, in one run on this machine:
//   full backup of a 4 GiB disk holding 2 GiB            vs  bare `qemu-img convert` of the same image
//   incremental after 200 MiB of writes (4 and 16 GiB)   vs  copying 200 MiB (dd conv=fsync) + 2 s
//   whole-VM restore                                     vs  bare `qemu-img convert` of the chain
// Usage: dotnet run -c Release --project benchmarks/BackupWorkflows.Backup.SpeedBenchmark [WORKDIR]
var work = args.Length > 0 ? args[0] : Path.Combine("/var/tmp/bwf-bench", Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(work);
var shell = new LocalHostShell();
var virsh = new Virsh(shell);
var results = new List<string>();
try
{
    foreach (var sizeGiB in new[] { 4, 16 })
        results.AddRange(await BenchmarkDiskAsync(sizeGiB));
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}
Console.WriteLine();
Console.WriteLine("| measure | BackupWorkflows | baseline | ratio | target |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
foreach (var line in results) Console.WriteLine(line);
return 0;

async Task<List<string>> BenchmarkDiskAsync(int sizeGiB)
{
    var rows = new List<string>();
    var dir = Path.Combine(work, $"disk{sizeGiB}");
    Directory.CreateDirectory(dir);
    var disk = Path.Combine(dir, "vda.qcow2");
    Console.WriteLine($"[{sizeGiB} GiB] writing 2 GiB of data into a {sizeGiB} GiB qcow2 image…");
    await Run("qemu-img", "create", "-f", "raw", disk + ".raw", $"{sizeGiB}G");
    // Mixed data: random blocks and repeated blocks, spread over the disk.
    await Run("sh", "-c", $"for i in $(seq 0 15); do dd if=/dev/urandom of='{disk}.raw' bs=1M count=64 seek=$((i*{sizeGiB * 64})) conv=notrunc status=none; " +
        $"yes backup | head -c 67108864 | dd of='{disk}.raw' bs=1M seek=$((i*{sizeGiB * 64}+64)) conv=notrunc status=none iflag=fullblock; done");
    await Run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", disk + ".raw", disk);
    File.Delete(disk + ".raw");
    await Run("sync");

    var convertBaseline = await Time(() => Run("qemu-img", "convert", "-f", "qcow2", "-O", "qcow2", disk, Path.Combine(dir, "baseline.qcow2")));
    File.Delete(Path.Combine(dir, "baseline.qcow2"));
    await Run("sync");
    // qemu-img convert leaves its output in the page cache; a backup must be on disk before it is
    // registered, so the durable baseline adds the fsync of the copy.
    var durableBaseline = await Time(async () =>
    {
        await Run("qemu-img", "convert", "-f", "qcow2", "-O", "qcow2", disk, Path.Combine(dir, "baseline.qcow2"));
        await Run("sync", Path.Combine(dir, "baseline.qcow2"));
    });
    File.Delete(Path.Combine(dir, "baseline.qcow2"));
    await Run("sync");

    var vm = $"bwf-bench-{sizeGiB}g-{Guid.NewGuid().ToString("N")[..6]}";
    await virsh.DefineAsync($"""
        <domain type='kvm'><name>{vm}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
          <os><type arch='x86_64'>hvm</type></os><seclabel type='none'/>
          <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/>
            <target dev='vda' bus='virtio'/></disk></devices></domain>
        """);
    await virsh.StartAsync(vm);
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services.AddWorkflowEngine(o =>
    {
        o.UseSqlite($"Data Source={Path.Combine(dir, "bwf.db")}");
        o.AddActivitiesFrom(typeof(BackupServiceCollectionExtensions).Assembly);
    });
    builder.Services.AddBackupDomain();
    using var host = builder.Build();
    await host.StartAsync();
    try
    {
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BackupDbContext>();
            db.Hosts.Add(new HostRecord { Name = "local", Uri = "local", StagingDir = Path.Combine(dir, "staging") });
            db.Repositories.Add(new RepositoryRecord { Name = "repo", Path = Path.Combine(dir, "repo") });
            db.Offerings.Add(new Offering { Name = "bench", Quiesce = QuiescePolicy.Skip });
            db.Assignments.Add(new VmAssignment { VmName = vm, HostName = "local", OfferingName = "bench", RepositoryName = "repo" });
            await db.SaveChangesAsync();
        }
        var runtime = host.Services.GetRequiredService<IWorkflowRuntime>();
        async Task<(TimeSpan, WorkflowInstanceInfo)> Workflow(string id, JsonObject input)
        {
            var watch = Stopwatch.StartNew();
            var info = await runtime.WaitAsync(await runtime.StartAsync(id, input));
            if (info.Status != WorkflowStatus.Finished) throw new InvalidOperationException($"{id}: {info.Status} {info.Fault}");
            var elapsed = watch.Elapsed;
            var journal = await host.Services.GetRequiredService<IWorkflowInstanceQueries>().GetJournalAsync(info.Id);
            Console.WriteLine($"  {id} {elapsed.TotalSeconds:0.00} s: " + string.Join(", ", journal.Where(j => j.EndedAt is not null)
                .Select(j => $"{j.ActivityId} {(j.EndedAt!.Value - j.StartedAt).TotalSeconds:0.00}")));
            return (elapsed, info);
        }
        var input = new JsonObject { ["host"] = "local", ["vm"] = vm };
        var (full, _) = await Workflow("backup", input.DeepClone().AsObject());
        if (sizeGiB == 4)
        {
            rows.Add(Row("full backup, 4 GiB disk, 2 GiB data, vs bare convert", full, convertBaseline, convertBaseline / full, "≥ 0.9× speed"));
            rows.Add(Row("full backup, 4 GiB disk, 2 GiB data, vs convert + fsync", full, durableBaseline, durableBaseline / full, "(durable baseline)"));
        }

        // 200 MiB of guest writes, through QEMU's own block layer into the running VM's disk.
        for (var i = 0; i < 25; i++)
            await virsh.QemuMonitorHmpAsync(vm, $"qemu-io -d /machine/peripheral/virtio-disk0/virtio-backend \"write -P 0x{i + 17:x2} {(long)i * 8 * 1024 * 1024 + (1L << 30)} 8M\"");
        var copyBaseline = await Time(() => Run("dd", "if=/dev/urandom", $"of={Path.Combine(dir, "copy200")}", "bs=1M", "count=200", "conv=fsync", "status=none"));
        File.Delete(Path.Combine(dir, "copy200"));
        var (incremental, incrInfo) = await Workflow("backup", input.DeepClone().AsObject());
        var limit = copyBaseline * 1.5 + TimeSpan.FromSeconds(2);
        rows.Add(Row($"incremental after 200 MiB, {sizeGiB} GiB disk", incremental, limit, limit / incremental, "≤ 1.5× copy 200 MiB + 2 s (baseline column = that limit)"));

        if (sizeGiB == 4)
        {
            var backupId = incrInfo.Output!["backupId"]!.GetValue<string>();
            string image;
            await using (var scope = host.Services.CreateAsyncScope())
                image = scope.ServiceProvider.GetRequiredService<BackupDbContext>().Volumes.Single(v => v.BackupId == Guid.Parse(backupId)).ImagePath;
            var chainBaseline = await Time(() => Run("qemu-img", "convert", "-f", "qcow2", "-O", "qcow2", image, Path.Combine(dir, "chain.qcow2")));
            File.Delete(Path.Combine(dir, "chain.qcow2"));
            var (restore, _) = await Workflow("restore", new JsonObject { ["backupId"] = backupId });
            rows.Add(Row("whole-VM restore, 4 GiB disk", restore, chainBaseline, chainBaseline / restore, "≥ 0.9× speed"));
        }
    }
    finally
    {
        await host.StopAsync();
        try { await virsh.DestroyAsync(vm); } catch (HostCommandException) { }
        await virsh.UndefineAsync(vm);
    }
    return rows;
}

string Row(string what, TimeSpan ours, TimeSpan baseline, double ratio, string target)
{
    var row = $"| {what} | {ours.TotalSeconds:0.00} s | {baseline.TotalSeconds:0.00} s | {ratio:0.00} | {target} |";
    Console.WriteLine(row);
    return row;
}

async Task<TimeSpan> Time(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed;
}

Task Run(params string[] command) => shell.RunAsync(command, new HostCommandOptions { Timeout = TimeSpan.FromMinutes(20) });
