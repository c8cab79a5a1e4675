using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.GuestFiles;
using BackupWorkflows.Server.Tests.Fixtures;
using BackupWorkflows.Testing;
using BackupWorkflows.Testing.Guests;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Server.Tests.Guests;

/// <summary>
/// File-level restore on a real guest through the API: three backup points (f1; f2; f1 deleted and f3)
/// browsed through qemu-storage-daemon + loop + read-only mounts on the repository host, with contents
/// checked against checksums taken inside the guest, a tar of a directory, the escape rules, and two
/// files restored into the running guest. The images keep their checksums and nothing stays mounted.
/// </summary>
public sealed class BackupFilesTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task ThreePoints_ListReadArchiveRestore_LeaveImagesUnchangedAndNothingMounted()
    {
        var watch = Stopwatch.StartNew();
        await using var guest = await TestGuest.CreateAsync("files");
        var admin = server.Admin();
        await (await admin.PostJsonAsync("/api/offerings", new { name = "files", allowFileExtraction = true })).OkJsonAsync();
        await (await admin.PostJsonAsync("/api/offerings", new { name = "no-files" })).OkJsonAsync();
        await (await admin.PostJsonAsync($"/api/vms/{guest.Name}/assign", new { offering = "files", repository = "default" })).OkJsonAsync();

        // Point 1: f1, a directory tree, symlinks that try to leave the file system, an odd name.
        var sums = new Dictionary<string, string>();
        await guest.Agent.ShellAsync("""
            cd /mnt/vda && mkdir -p d/sub && head -c 300000 /dev/urandom > f1 && echo nested > d/sub/x && head -c 5000 /dev/urandom > d/y
            ln -s ../../../../.. up && ln -s /etc/hostname abs && ln -s d/sub/x rel && printf odd > "$(printf 'odd\001name')"
            chown 1234:2345 d/sub/x && chmod 0604 d/sub/x && touch -d @1600000000 d/sub/x && chmod 0750 d/sub && sync
            """);
        foreach (var f in new[] { "f1", "d/sub/x", "d/y" }) sums[f] = await guest.Sha256Async($"/mnt/vda/{f}");
        var b1 = await BackupAsync(guest.Name);
        await guest.Agent.ShellAsync("cd /mnt/vda && head -c 200000 /dev/urandom > f2 && sync");
        sums["f2"] = await guest.Sha256Async("/mnt/vda/f2");
        var b2 = await BackupAsync(guest.Name);
        await guest.Agent.ShellAsync("cd /mnt/vda && rm f1 && head -c 100000 /dev/urandom > f3 && sync");
        sums["f3"] = await guest.Sha256Async("/mnt/vda/f3");
        var b3 = await BackupAsync(guest.Name);
        var images = await ImageChecksumsAsync([b1, b2, b3]);

        string[] common = ["abs", "d", "lost+found", @"odd\x01name", "rel", "up"];
        Assert.Equal(common.Append("f1").Order(StringComparer.Ordinal), await NamesAsync(b1, "/"));
        Assert.Equal(common.Concat(["f1", "f2"]).Order(StringComparer.Ordinal), await NamesAsync(b2, "/"));
        Assert.Equal(common.Concat(["f2", "f3"]).Order(StringComparer.Ordinal), await NamesAsync(b3, "/"));
        Assert.Equal(sums["f1"], await ContentSha256Async(b1, "/f1"));
        Assert.Equal(sums["f1"], await ContentSha256Async(b2, "f1"));
        Assert.Equal(sums["f2"], await ContentSha256Async(b2, "/f2"));
        Assert.Equal(sums["f2"], await ContentSha256Async(b3, "/f2"));
        Assert.Equal(sums["f3"], await ContentSha256Async(b3, "/f3"));
        Assert.Equal(sums["d/sub/x"], await ContentSha256Async(b3, "/rel"));
        await (await admin.GetAsync($"/api/backups/{b3}/files/content?path=/f1")).AssertProblemAsync(HttpStatusCode.NotFound);

        // The listing's details, and a symlink as itself.
        var listing = (await (await admin.GetAsync($"/api/backups/{b3}/files?volume=vda&path=/d")).OkJsonAsync()).AsObject();
        Assert.Equal("/d", listing["path"]!.GetValue<string>());
        var y = listing["entries"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "y")!;
        Assert.Equal(("file", 5000L, "0644", 0L), (y["type"]!.GetValue<string>(), y["size"]!.GetValue<long>(), y["mode"]!.GetValue<string>(), y["uid"]!.GetValue<long>()));
        var link = (await (await admin.GetAsync($"/api/backups/{b3}/files/stat?path=/rel")).OkJsonAsync())["entry"]!;
        Assert.Equal(("symlink", "d/sub/x"), (link["type"]!.GetValue<string>(), link["target"]!.GetValue<string>()));
        var page = (await (await admin.GetAsync($"/api/backups/{b3}/files?path=/&offset=2&limit=2")).OkJsonAsync()).AsObject();
        Assert.Equal((8, 2), (page["total"]!.GetValue<int>(), page["entries"]!.AsArray().Count));
        Assert.Equal("f2", page["entries"]![0]!["name"]!.GetValue<string>());

        // Escapes: '..' and symlinks stay inside the guest file system; odd names read back by their escaped form.
        Assert.Equal(await NamesAsync(b3, "/"), await NamesAsync(b3, "/../../.."));
        Assert.Equal(await NamesAsync(b3, "/"), await NamesAsync(b3, "/up"));
        await (await admin.GetAsync($"/api/backups/{b3}/files/content?path=/abs")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/backups/{b3}/files/content?path=/up/../etc/passwd")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("odd", await admin.GetStringAsync($"/api/backups/{b3}/files/content?path={Uri.EscapeDataString(@"/odd\x01name")}"));
        var badEscape = await (await admin.GetAsync($"/api/backups/{b3}/files?path={Uri.EscapeDataString(@"/a\q")}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badEscape["errors"]!["path"]);
        await (await admin.GetAsync($"/api/backups/{b3}/files/content?path=/d")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // Range.
        var range = new HttpRequestMessage(HttpMethod.Get, $"/api/backups/{b3}/files/content?path=/f2");
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        var partial = await admin.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 1000-1999/200000", partial.Content.Headers.ContentRange!.ToString());
        var whole = await admin.GetByteArrayAsync($"/api/backups/{b3}/files/content?path=/f2");
        Assert.Equal(whole[1000..2000], await partial.Content.ReadAsByteArrayAsync());

        // A directory as tar unpacks to the same tree.
        var tar = await admin.GetStreamAsync($"/api/backups/{b3}/files/archive?path=/d");
        var unpacked = new Dictionary<string, string>();
        await using (var reader = new TarReader(tar))
            while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
                unpacked[entry.Name.TrimEnd('/')] = entry.EntryType is TarEntryType.Directory ? "dir"
                    : Convert.ToHexStringLower(SHA256.HashData(entry.DataStream!));
        Assert.Equal(new Dictionary<string, string>
        {
            ["./d"] = "dir", ["./d/sub"] = "dir", ["./d/sub/x"] = sums["d/sub/x"], ["./d/y"] = sums["d/y"],
        }, unpacked);

        // Roles and the offering: viewers see no files; an offering without file extraction refuses (403).
        var viewer = await server.ClientInRoleAsync("viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/backups/{b3}/files?path=/")).StatusCode);
        await (await admin.PostJsonAsync($"/api/vms/{guest.Name}/assign", new { offering = "no-files", repository = "default" })).OkJsonAsync();
        var refused = await (await admin.GetAsync($"/api/backups/{b3}/files?path=/")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("no-files", refused["detail"]!.GetValue<string>());
        await (await admin.PostJsonAsync($"/api/vms/{guest.Name}/assign", new { offering = "files", repository = "default" })).OkJsonAsync();

        // Restore two files into the running guest; a second run without overwrite writes nothing.
        var restored = await RestoreAsync(b2, new { paths = new[] { "/f1", "/d/sub/x" }, toVm = guest.Name, targetDirectory = "/restored" });
        Assert.True(restored["status"]!.GetValue<string>() == "Finished", restored.ToJsonString());
        Assert.Equal(sums["f1"], await guest.Sha256Async("/restored/f1"));
        Assert.Equal(sums["d/sub/x"], await guest.Sha256Async("/restored/d/sub/x"));
        await guest.Agent.ShellAsync("echo changed > /restored/f1");
        var again = await RestoreAsync(b2, new { paths = new[] { "/f1" }, toVm = guest.Name, targetDirectory = "/restored" });
        Assert.Equal("Faulted", again["status"]!.GetValue<string>());
        Assert.Equal("changed\n", await guest.ReadFileAsync("/restored/f1"));
        var overwritten = await RestoreAsync(b2, new { paths = new[] { "/f1" }, toVm = guest.Name, targetDirectory = "/restored", overwrite = true });
        Assert.Equal("Finished", overwritten["status"]!.GetValue<string>());
        Assert.Equal(sums["f1"], await guest.Sha256Async("/restored/f1"));
        // Owner, mode and modification time came along (chown/chmod/touch through the agent).
        Assert.Equal(await GuestStatAsync(guest, "/mnt/vda/d/sub/x"), await GuestStatAsync(guest, "/restored/d/sub/x"));

        // Onto a host path (this machine is the backup's host): bad targets are refused naming the field.
        var hostDirectory = Path.Combine("/var/tmp", "bwf-files-" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { paths = new[] { "/d" }, toHostPath = "relative/dir" }, "toHostPath"),
                     (new { paths = new[] { "/d" }, toHostPath = "/etc" }, "toHostPath"),
                     (new { paths = new[] { "/d" }, toHostPath = hostDirectory, toVm = guest.Name }, "toHostPath"),
                     (new { paths = new[] { "/d" }, toHostPath = hostDirectory, targetDirectory = "/x" }, "targetDirectory"),
                 })
        {
            var problem = await (await admin.PostJsonAsync($"/api/backups/{b3}/files/restore", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        }
        try
        {
            // The whole file system of b3: contents, owners, modes and times as in the guest; symlinks as symlinks, not followed.
            var onHost = await RestoreAsync(b3, new { paths = new[] { "/" }, toHostPath = hostDirectory });
            Assert.True(onHost["status"]!.GetValue<string>() == "Finished", onHost.ToJsonString());
            foreach (var f in new[] { "f2", "f3", "d/sub/x", "d/y" })
                Assert.Equal(sums[f], Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(hostDirectory, f)))));
            foreach (var f in new[] { "f3", "d", "d/sub", "d/sub/x", "lost+found" })
                Assert.Equal(await GuestStatAsync(guest, $"/mnt/vda/{f}"), (await ProcessUtil.RunAsync("stat", "-c", "%a %u %g %Y", Path.Combine(hostDirectory, f))).Trim());
            Assert.Equal(("/etc/hostname", "../../../../..", "d/sub/x"),
                (new FileInfo(Path.Combine(hostDirectory, "abs")).LinkTarget, new FileInfo(Path.Combine(hostDirectory, "up")).LinkTarget,
                    new FileInfo(Path.Combine(hostDirectory, "rel")).LinkTarget));
            Assert.Equal("odd", await File.ReadAllTextAsync(Path.Combine(hostDirectory, "odd\u0001name")));

            // Without overwrite one existing file refuses the whole restore: that file is untouched, a missing one is not written.
            await File.WriteAllTextAsync(Path.Combine(hostDirectory, "f2"), "changed\n");
            File.Delete(Path.Combine(hostDirectory, "f3"));
            var refusedOnHost = await RestoreAsync(b3, new { paths = new[] { "/" }, toHostPath = hostDirectory });
            Assert.Equal("Faulted", refusedOnHost["status"]!.GetValue<string>());
            Assert.Contains("overwrite is off", refusedOnHost.ToJsonString());
            Assert.Equal("changed\n", await File.ReadAllTextAsync(Path.Combine(hostDirectory, "f2")));
            Assert.False(File.Exists(Path.Combine(hostDirectory, "f3")));
            var overwrittenOnHost = await RestoreAsync(b3, new { paths = new[] { "/f2", "/f3" }, toHostPath = hostDirectory, overwrite = true });
            Assert.True(overwrittenOnHost["status"]!.GetValue<string>() == "Finished", overwrittenOnHost.ToJsonString());
            Assert.Equal(sums["f2"], Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(hostDirectory, "f2")))));
            Assert.Equal(sums["f3"], Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(hostDirectory, "f3")))));
        }
        finally
        {
            if (Directory.Exists(hostDirectory)) Directory.Delete(hostDirectory, recursive: true);
        }

        // Idle sessions close; the images are byte-identical and nothing is left on the host.
        await (await admin.PutAsJsonAsync("/api/settings/files.browse.idle.timeout.seconds", new { value = "1" })).OkJsonAsync();
        var sessions = server.Services.GetRequiredService<BrowseSessions>();
        await Eventually.UntilAsync(() => sessions.Open.Count == 0 && Files.BrowseCrashTests.Leftovers(sessions.RunDirectory) == "", "the idle session closed and nothing left", TimeSpan.FromSeconds(30));
        Assert.Equal(images, await ImageChecksumsAsync([b1, b2, b3]));
        Console.WriteLine($"BackupFilesTests took {watch.Elapsed.TotalSeconds:F1} s");
    }

    private async Task<string> BackupAsync(string vm)
    {
        var started = await (await server.Admin().PostJsonAsync("/api/backups", new { vm })).OkJsonAsync();
        var done = await server.WaitForEndAsync(started["instanceId"]!.GetValue<string>(), TimeSpan.FromMinutes(4));
        Assert.True(done["status"]!.GetValue<string>() == "Finished", done.ToJsonString());
        return done["output"]!["backupId"]!.GetValue<string>();
    }

    private async Task<JsonObject> RestoreAsync(string backup, object body)
    {
        var started = await (await server.Admin().PostJsonAsync($"/api/backups/{backup}/files/restore", body)).OkJsonAsync();
        return await server.WaitForEndAsync(started["instanceId"]!.GetValue<string>(), TimeSpan.FromMinutes(2));
    }

    /// <summary>Mode, owner, group and modification time (whole seconds) of a path in the guest, as <c>stat -c '%a %u %g %Y'</c> prints them.</summary>
    private static async Task<string> GuestStatAsync(TestGuest guest, string path) =>
        (await guest.Agent.ShellAsync("stat -c '%a %u %g %Y' \"$1\"", [path])).Trim();

    private async Task<string[]> NamesAsync(string backup, string path)
    {
        var listing = await (await server.Admin().GetAsync($"/api/backups/{backup}/files?path={Uri.EscapeDataString(path)}")).OkJsonAsync();
        return [.. listing["entries"]!.AsArray().Select(e => e!["name"]!.GetValue<string>())];
    }

    private async Task<string> ContentSha256Async(string backup, string path) =>
        Convert.ToHexStringLower(SHA256.HashData(await server.Admin().GetByteArrayAsync($"/api/backups/{backup}/files/content?path={Uri.EscapeDataString(path)}")));

    private async Task<Dictionary<string, string>> ImageChecksumsAsync(IEnumerable<string> backups)
    {
        var result = new Dictionary<string, string>();
        foreach (var b in backups)
        {
            var backup = await (await server.Admin().GetAsync($"/api/backups/{b}")).OkJsonAsync();
            foreach (var v in backup["volumes"]!.AsArray())
            {
                var image = v!["path"]!.GetValue<string>();
                await using var file = File.OpenRead(image);
                result[image] = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
            }
        }
        return result;
    }
}
