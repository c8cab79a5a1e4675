using System.Diagnostics;
using System.Globalization;

namespace BackupWorkflows.Backup.Benchmarks;

/// <summary>
/// qemu-img convert -c (what the compression job runs) against the zstd tool (level 3, 2 threads)
/// on the same mixed data, in one run: throughput, ratio and each configuration's speed relative to zstd.
/// </summary>
internal static class CompressionBenchmark
{
    private sealed record Config(string Name, string Type, int Coroutines, bool OutOfOrder, string ClusterSize);

    public static async Task RunAsync(double gib)
    {
        var dir = Path.Combine("/var/tmp", "bwf-bench-compress");
        Directory.CreateDirectory(dir);
        var raw = Path.Combine(dir, "mixed.raw");
        var source = Path.Combine(dir, "mixed.qcow2");
        var bytes = (long)(gib * (1L << 30));
        Console.WriteLine($"# Compression: {gib.ToString(CultureInfo.InvariantCulture)} GiB of mixed data, {Environment.ProcessorCount} cores");
        if (!File.Exists(raw) || new FileInfo(raw).Length != bytes)
        {
            MixedData.Write(raw, bytes);
            await RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, source]);
        }
        await RunAsync("sync", []);

        var zstdOut = Path.Combine(dir, "mixed.zst");
        var zstdTime = await TimeAsync("zstd", ["-q", "-f", "-3", "-T2", raw, "-o", zstdOut]);
        var zstdSize = new FileInfo(zstdOut).Length;
        File.Delete(zstdOut);
        Console.WriteLine($"{"configuration",-44} {"MB/s",8} {"ratio",7} {"time vs zstd",13}");
        Print("zstd tool -3 -T2", bytes, zstdTime, zstdSize, zstdTime);

        Config[] configs =
        [
            new("qemu-img zlib  m1        64k (qemu default)", "zlib", 1, false, "64k"),
            new("qemu-img zstd  m1        64k (job default)", "zstd", 1, false, "64k"),
            new("qemu-img zstd  m2  -W    64k", "zstd", 2, true, "64k"),
            new("qemu-img zstd  m8  -W    64k", "zstd", 8, true, "64k"),
            new("qemu-img zstd  m8  -W   256k", "zstd", 8, true, "256k"),
            new("qemu-img zstd  m8  -W     2M", "zstd", 8, true, "2M"),
            new("qemu-img zstd  m16 -W     2M", "zstd", 16, true, "2M"),
        ];
        foreach (var c in configs)
        {
            var target = Path.Combine(dir, "out.qcow2");
            List<string> args = ["convert", "-c", "-f", "qcow2", "-O", "qcow2", "-o", $"compression_type={c.Type},cluster_size={c.ClusterSize}", "-m", c.Coroutines.ToString(CultureInfo.InvariantCulture)];
            if (c.OutOfOrder) args.Add("-W");
            args.AddRange([source, target]);
            var time = await TimeAsync("qemu-img", args);
            Print(c.Name, bytes, time, new FileInfo(target).Length, zstdTime);
            File.Delete(target);
        }
        // The machine is shared: zstd again at the end shows how much the load moved meanwhile.
        var again = await TimeAsync("zstd", ["-q", "-f", "-3", "-T2", raw, "-o", zstdOut]);
        File.Delete(zstdOut);
        Print("zstd tool -3 -T2 (again, at the end)", bytes, again, zstdSize, zstdTime);
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static void Print(string name, long bytes, TimeSpan time, long size, TimeSpan zstd) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-44} {bytes / time.TotalSeconds / 1e6,8:0.0} {(double)bytes / size,7:0.00} {time / zstd,12:0.00}x"));

    private static async Task<TimeSpan> TimeAsync(string program, IReadOnlyList<string> args)
    {
        await RunAsync("sync", []);
        var watch = Stopwatch.StartNew();
        await RunAsync(program, args);
        return watch.Elapsed;
    }

    internal static async Task RunAsync(string program, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {await err}");
    }
}
