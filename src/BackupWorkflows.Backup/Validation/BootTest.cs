using BackupWorkflows.Backup.Catalog;
using System.Diagnostics;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Hosts;
using BackupWorkflows.Backup.Settings;

namespace BackupWorkflows.Backup.Validation;

/// <summary>What the boot test runs in the guest and expects.</summary>
/// <param name="Command">Shell command run through the guest agent (<c>/bin/sh -c</c>).</param>
/// <param name="ExpectedOutput">Text its standard output must contain; null: exit code 0 is enough.</param>
public sealed record BootCheck(string Command, string? ExpectedOutput);

/// <summary>
/// Boot level: a throw-away VM on temporary overlays of the backup's images (the backup is only
/// ever read), no network; waits for the guest agent, runs a command, takes a screenshot, and
/// destroys the VM and deletes the overlays on every path.
/// </summary>
public sealed class BootTest(BackupSettings settings, TimeProvider time)
{
    /// <summary>Free space the overlays' directory needs before the test starts.</summary>
    public const long OverlayReserveBytes = 64L << 20;

    /// <summary>Runs the level.</summary>
    public async Task<LevelOutcome> RunAsync(BackupContext work, BootCheck check, Action<string> journal, CancellationToken ct)
    {
        var host = work.Host;
        var backup = work.Backup;
        if (backup.DomainXml is null) return LevelOutcome.Unable("the backup has no domain XML to boot");
        var root = Path.Combine(work.HostRecord.StagingDir, "validation");
        string dir;
        try
        {
            await host.Files.CreateDirectoryAsync(root, ct);
            var free = await host.Files.FreeSpaceAsync(root, ct);
            if (free < OverlayReserveBytes)
                return LevelOutcome.Unable($"{root} on host '{work.HostRecord.Name}' has {free} bytes free; the overlays need {OverlayReserveBytes}");
            dir = Path.Combine(root, $"{backup.Id:N}-{Guid.NewGuid().ToString("N")[..6]}");
            await host.Files.CreateDirectoryAsync(dir, ct);
            // libvirt's qemu user must reach the overlays and write the console log.
            await host.Shell.RunAsync(["chmod", "0777", "--", dir], null, ct);
        }
        catch (HostCommandException e)
        {
            return LevelOutcome.Unable($"no scratch directory for the overlays: {e.Message.Split('\n')[0]}");
        }

        var name = $"bwf-validate-{backup.Id.ToString("N")[..12]}";
        try
        {
            var overlays = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                foreach (var v in backup.Volumes)
                {
                    var overlay = Path.Combine(dir, RepositoryLayout.SafeName(v.Target) + ".qcow2");
                    await host.QemuImg.CreateAsync(overlay, "qcow2", null, v.ImagePath, "qcow2", ct);
                    overlays[v.Target] = overlay;
                }
                var xml = BootTestDomain.Build(backup.DomainXml, name, overlays, Path.Combine(dir, "console.log"));
                var xmlPath = Path.Combine(dir, "domain.xml");
                await host.Files.WriteTextAsync(xmlPath, xml, ct);
                await DestroyQuietlyAsync(work, name);
                await host.Virsh.RunAsync(["create", xmlPath], cancellationToken: ct);
            }
            catch (HostCommandException e)
            {
                return LevelOutcome.Unable($"the throw-away VM could not be started: {e.Message.Split('\n')[0]}");
            }
            journal($"throw-away VM {name} started on overlays in {dir}");

            var limit = await settings.GetDurationAsync(SettingCatalog.ValidationBootTimeoutSeconds, ct);
            var watch = Stopwatch.StartNew();
            var agent = new GuestAgent(host.Virsh, name) { CommandTimeout = TimeSpan.FromSeconds(2) };
            while (!await agent.TryPingAsync(ct))
            {
                if (watch.Elapsed > limit)
                    return new LevelOutcome(ValidationResult.Invalid, $"the guest agent did not answer within {limit}",
                        await ScreenshotAsync(work, name, dir, journal, ct));
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
            }
            journal($"guest agent answered after {watch.Elapsed.TotalSeconds:0.0} s");
            var result = await new GuestAgent(host.Virsh, name).ExecAsync("/bin/sh", ["-c", check.Command], timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
            var screenshot = await ScreenshotAsync(work, name, dir, journal, ct);
            if (result.ExitCode != 0)
                return new(ValidationResult.Invalid, $"'{check.Command}' exited {result.ExitCode}: {result.StandardError.Trim()}", screenshot);
            if (check.ExpectedOutput is { Length: > 0 } expected && !result.StandardOutput.Contains(expected, StringComparison.Ordinal))
                return new(ValidationResult.Invalid, $"'{check.Command}' printed '{result.StandardOutput.Trim()}', not '{expected}'", screenshot);
            return new(ValidationResult.Valid, $"booted in {watch.Elapsed.TotalSeconds:0.0} s; '{check.Command}' exited 0", screenshot);
        }
        finally
        {
            await DestroyQuietlyAsync(work, name);
            await host.Files.DeleteDirectoryAsync(dir, CancellationToken.None);
        }
    }

    private static async Task<byte[]?> ScreenshotAsync(BackupContext work, string name, string dir, Action<string> journal, CancellationToken ct)
    {
        var file = Path.Combine(dir, "screen.ppm");
        try
        {
            await work.Host.Virsh.ScreenshotAsync(name, file, ct);
            var b64 = await work.Host.Shell.RunAsync(["base64", "-w0", "--", file], null, ct);
            return PngImage.FromPpm(Convert.FromBase64String(b64.StandardOutput.Trim()));
        }
        catch (Exception e) when (e is HostCommandException or FormatException)
        {
            journal($"no screenshot: {e.Message.Split('\n')[0]}");
            return null;
        }
    }

    private static async Task DestroyQuietlyAsync(BackupContext work, string name)
    {
        try
        {
            if (await work.Host.Virsh.ExistsAsync(name, CancellationToken.None))
                await work.Host.Virsh.DestroyAsync(name, CancellationToken.None);
        }
        catch (HostCommandException) { /* already gone */ }
    }
}
