using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BackupWorkflows.Cli.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Guests;

namespace BackupWorkflows.Cli.Tests;

/// <summary>
/// <c>bwf backup ls | get | restore-files</c> against the real server process and one backup of a real
/// guest: listings, a file and a directory (tar) downloaded and checked against checksums taken inside
/// the guest, files restored into the running guest, and bad input refused with a non-zero exit code.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class BackupFileCommandTests(CliServer server)
{
    [Fact]
    public async Task LsGetRestoreFiles_OnARealBackup_AndBadInputFails()
    {
        await using var guest = await TestGuest.CreateAsync("clifiles");
        Json(await server.RunAsync("offering", "create", "cli-files", "--allow-extract-file", "--output", "json"));
        Json(await server.RunAsync("vm", "assign", guest.Name, "--offering", "cli-files", "--repo", "default", "--output", "json"));
        await guest.Agent.ShellAsync("""
            cd /mnt/vda && mkdir -p d/sub && head -c 70000 /dev/urandom > top.bin && echo nested > d/sub/x && head -c 3000 /dev/urandom > d/y
            chmod 0640 d/y && sync
            """);
        var sums = new Dictionary<string, string>();
        foreach (var f in new[] { "top.bin", "d/sub/x", "d/y" }) sums[f] = await guest.Sha256Async($"/mnt/vda/{f}");
        var backedUp = Json(await server.RunAsync("backup", "create", guest.Name, "--wait", "--output", "json"));
        Assert.Equal("Finished", backedUp["status"]!.GetValue<string>());
        var id = backedUp["output"]!["backupId"]!.GetValue<string>();

        // ls: JSON with every entry, and a table.
        var root = Json(await server.RunAsync("backup", "ls", id, "--output", "json"));
        Assert.Equal("/", root["path"]!.GetValue<string>());
        Assert.Equal(["d", "lost+found", "top.bin"], root["entries"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        var d = Json(await server.RunAsync("backup", "ls", id, "/d", "--volume", "vda", "--output", "json"));
        var y = d["entries"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "y")!;
        Assert.Equal(("file", 3000L, "0640"), (y["type"]!.GetValue<string>(), y["size"]!.GetValue<long>(), y["mode"]!.GetValue<string>()));
        var table = await server.RunAsync("backup", "ls", id, "/d");
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("sub", table.Output);
        Assert.Contains("0640", table.Output);

        // get: a file to -O, a directory as tar.
        var work = Directory.CreateTempSubdirectory("bwf-cli-files-").FullName;
        try
        {
            var file = Path.Combine(work, "top.bin");
            var got = Json(await server.RunAsync("backup", "get", id, "/top.bin", "-O", file, "--output", "json"));
            Assert.Equal((70000L, false, file), (got["bytes"]!.GetValue<long>(), got["archive"]!.GetValue<bool>(), got["file"]!.GetValue<string>()));
            Assert.Equal(sums["top.bin"], Sha256(File.ReadAllBytes(file)));
            var tarFile = Path.Combine(work, "d.tar");
            Assert.True(Json(await server.RunAsync("backup", "get", id, "/d", "--file", tarFile, "--output", "json"))["archive"]!.GetValue<bool>());
            var unpacked = new Dictionary<string, string>();
            await using (var tar = File.OpenRead(tarFile))
            await using (var reader = new TarReader(tar))
                while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
                    unpacked[entry.Name.TrimEnd('/')] = entry.EntryType is TarEntryType.Directory ? "dir" : Sha256(entry.DataStream!);
            Assert.Equal(new Dictionary<string, string>
            {
                ["./d"] = "dir", ["./d/sub"] = "dir", ["./d/sub/x"] = sums["d/sub/x"], ["./d/y"] = sums["d/y"],
            }, unpacked);

            // Bad input: an unknown backup, a path that is not in the backup (.. stops at its root), a bad escape.
            var unknown = await server.RunAsync("backup", "ls", Guid.NewGuid().ToString(), "--output", "json");
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("not found", (unknown.Error + unknown.Output).ToLowerInvariant());
            var outside = await server.RunAsync("backup", "get", id, "/../../../etc/passwd", "-O", Path.Combine(work, "passwd"));
            Assert.NotEqual(0, outside.ExitCode);
            Assert.Contains("does not exist in this backup", outside.Error + outside.Output);
            Assert.False(File.Exists(Path.Combine(work, "passwd")));
            var escape = await server.RunAsync("backup", "ls", id, @"/a\q");
            Assert.NotEqual(0, escape.ExitCode);
            Assert.Contains("path", escape.Error + escape.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        // restore-files --wait into the running guest; again without --overwrite: refused, exit code 1, file untouched.
        var restored = Json(await server.RunAsync("backup", "restore-files", id, "/top.bin", "/d", "--to-vm", guest.Name, "--target", "/restored",
            "--wait", "--output", "json"));
        Assert.Equal("Finished", restored["status"]!.GetValue<string>());
        Assert.Equal(3, restored["output"]!["files"]!.GetValue<long>());
        foreach (var (f, sum) in sums) Assert.Equal(sum, await guest.Sha256Async($"/restored/{f}"));
        await guest.Agent.ShellAsync("echo changed > /restored/d/y");
        var refused = await server.RunAsync("backup", "restore-files", id, "/d", "--to-vm", guest.Name, "--target", "/restored", "--wait");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("overwrite is off", refused.Output + refused.Error);
        Assert.Equal("changed\n", await guest.ReadFileAsync("/restored/d/y"));
        var relative = await server.RunAsync("backup", "restore-files", id, "/d", "--to-vm", guest.Name, "--target", "restored", "--wait");
        Assert.NotEqual(0, relative.ExitCode);
        Assert.Contains("targetDirectory", relative.Error + relative.Output);
        var noVm = await server.RunAsync("backup", "restore-files", id, "/d", "--to-vm", "no-such-vm", "--target", "/r2", "--wait");
        Assert.True(noVm.ExitCode == 1 && (noVm.Output + noVm.Error).Contains("no-such-vm"), $"exit {noVm.ExitCode}: {noVm.Output}{noVm.Error}");

        // --to-host-path: onto a directory of the backup's host (this machine), modes kept; again without --overwrite: refused.
        var hostDirectory = Path.Combine("/var/tmp", "bwf-cli-files-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var onHost = Json(await server.RunAsync("backup", "restore-files", id, "/top.bin", "/d", "--to-host-path", hostDirectory, "--wait", "--output", "json"));
            Assert.Equal("Finished", onHost["status"]!.GetValue<string>());
            foreach (var (f, sum) in sums) Assert.Equal(sum, Sha256(File.ReadAllBytes(Path.Combine(hostDirectory, f))));
            Assert.Equal("640", (await ProcessUtil.RunAsync("stat", "-c", "%a", Path.Combine(hostDirectory, "d/y"))).Trim());
            var again = await server.RunAsync("backup", "restore-files", id, "/d", "--to-host-path", hostDirectory, "--wait");
            Assert.True(again.ExitCode == 1 && again.Output.Contains("overwrite is off"), $"exit {again.ExitCode}: {again.Output}{again.Error}");
            var both = await server.RunAsync("backup", "restore-files", id, "/d", "--to-host-path", hostDirectory, "--to-vm", guest.Name);
            Assert.NotEqual(0, both.ExitCode);
            Assert.Contains("toHostPath", both.Error + both.Output);
        }
        finally
        {
            if (Directory.Exists(hostDirectory)) Directory.Delete(hostDirectory, recursive: true);
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Sha256(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    private static JsonNode Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}{result.Output}");
        return JsonNode.Parse(result.Output)!;
    }
}
