using System.Diagnostics;
using System.Text.Json.Nodes;
using BackupWorkflows.Backup.Tests.Compression;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Backup.Validation;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Testing.Guests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackupWorkflows.Backup.Tests.Validation;

/// <summary>
/// Validations of a real guest's backups: a good backup is Valid and its boot test's screenshot
/// shows the console; a host without room for the overlay gives UnableToValidate; a backup whose
/// parent file was deleted is Invalid; one with flipped bytes is Invalid and ends the chain.
/// </summary>
public sealed class ValidationTests
{
    [Fact]
    public async Task Validate_GoodNoRoomDeletedParentFlippedBytes()
    {
        await using var guest = await TestGuest.CreateAsync("validate");
        await using var harness = await BackupHarness.StartAsync();
        await harness.AssignAsync(guest.Name);
        await guest.WriteFileAsync("/mnt/vda/hello.txt", "hello\n");
        var full = await BackupOkAsync(harness, guest);

        // Good: every level Valid; the command's output is checked; the screenshot shows text.
        var good = await ValidateAsync(harness, full, "", "cat /mnt/vda/hello.txt", "hello");
        Assert.True(Result(good) == "Valid", await harness.DescribeAsync(good));
        byte[]? png;
        await using (var scope = harness.Services.CreateAsyncScope())
            png = await scope.ServiceProvider.GetRequiredService<ValidationQueries>().LatestScreenshotAsync(full);
        Assert.NotNull(png);
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "bwf-validation-screenshot.png"), png);
        var (w, h, rgb) = PngPixels.Decode(png);
        Assert.True(w >= 320 && h >= 200, $"{w}x{h}");
        // Console text: a dark screen with a fair number of lit pixels (an empty or blank screen has none or all).
        var lit = Enumerable.Range(0, w * h).Count(i => rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2] > 300);
        Assert.InRange(lit, w * h / 500, w * h / 3);
        Assert.Empty(await RunningValidationVmsAsync(guest));
        Assert.Equal("Valid", (await harness.BackupAsync(full)).ValidationResult);

        // No room for the overlay: the host's scratch space is a 1 MiB tmpfs.
        var tiny = Path.Combine(harness.Directory, "tiny");
        Directory.CreateDirectory(tiny);
        await Sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tiny);
        try
        {
            await harness.WithDbAsync(async db => { (await db.Hosts.SingleAsync()).StagingDir = tiny; await db.SaveChangesAsync(); });
            var noRoom = await ValidateAsync(harness, full, "boot");
            Assert.True(Result(noRoom) == "UnableToValidate", await harness.DescribeAsync(noRoom));
        }
        finally
        {
            await Sh("umount", tiny);
            await harness.WithDbAsync(async db => { (await db.Hosts.SingleAsync()).StagingDir = harness.StagingPath; await db.SaveChangesAsync(); });
        }

        // Deleted parent: the incremental's chain no longer resolves.
        await guest.WriteFileAsync("/mnt/vda/second.txt", "second\n");
        var incremental = await BackupOkAsync(harness, guest);
        Assert.Equal(Model.BackupType.Incremental, (await harness.BackupAsync(incremental)).Type);
        var parentImage = (await harness.BackupAsync(full)).Volumes[0].ImagePath;
        File.Move(parentImage, parentImage + ".gone");
        var orphan = await ValidateAsync(harness, incremental, "image,checksums");
        Assert.True(Result(orphan) == "Invalid", await harness.DescribeAsync(orphan));
        File.Move(parentImage + ".gone", parentImage);

        // Flipped bytes in the newest backup: Invalid, and the current chain is ended.
        var image = (await harness.BackupAsync(incremental)).Volumes[0].ImagePath;
        await using (var f = File.OpenWrite(image)) { f.Seek(new FileInfo(image).Length - 4096, SeekOrigin.Begin); f.Write(new byte[64].Select(_ => (byte)0x5a).ToArray()); }
        var flipped = await ValidateAsync(harness, incremental, "image,checksums");
        Assert.True(Result(flipped) == "Invalid", await harness.DescribeAsync(flipped));
        var next = await harness.BackupAsync(guest.Name);
        Assert.True(next.Status == WorkflowStatus.Finished, await harness.DescribeAsync(next));
        Assert.Equal("Full", next.Output?["type"]?.GetValue<string>());
        Assert.Contains("validation", next.Output?["reason"]?.GetValue<string>());
    }

    private static string? Result(WorkflowInstanceInfo info) => info.Output?["result"]?.GetValue<string>();

    private static async Task<Guid> BackupOkAsync(BackupHarness harness, TestGuest guest)
    {
        var run = await harness.BackupAsync(guest.Name);
        Assert.True(run.Status == WorkflowStatus.Finished, await harness.DescribeAsync(run));
        return BackupHarness.BackupIdOf(run);
    }

    private static Task<WorkflowInstanceInfo> ValidateAsync(BackupHarness h, Guid backup, string levels, string command = "true", string expected = "") =>
        h.RunAsync("validate", new JsonObject
        {
            ["backupId"] = backup.ToString(), ["levels"] = levels, ["command"] = command, ["expectedOutput"] = expected,
        });

    private static async Task<IEnumerable<string>> RunningValidationVmsAsync(TestGuest guest) =>
        (await guest.Virsh.ListDomainNamesAsync()).Where(n => n.StartsWith("bwf-validate-", StringComparison.Ordinal));

    private static async Task Sh(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(args[0], args[1..]) { RedirectStandardError = true })!;
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{string.Join(' ', args)}: {await p.StandardError.ReadToEndAsync()}");
    }
}
