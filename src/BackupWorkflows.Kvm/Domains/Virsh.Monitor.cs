using System.Globalization;
using System.Text.Json;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>Pass-through calls to QEMU (QMP, guest agent) and screenshots.</summary>
public sealed partial class Virsh
{
    /// <summary>Sends a QMP command to the domain's QEMU (<c>qemu-monitor-command</c>) and returns the
    /// whole reply (<c>{"return": …}</c>).</summary>
    public async Task<JsonDocument> QemuMonitorCommandAsync(string domain, string qmpJson, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["qemu-monitor-command", domain, qmpJson], null, cancellationToken).ConfigureAwait(false);
        return ParseJson(result);
    }

    /// <summary>Sends a human-monitor command (<c>qemu-monitor-command --hmp</c>) and returns its text.</summary>
    public async Task<string> QemuMonitorHmpAsync(string domain, string command, CancellationToken cancellationToken = default) =>
        (await RunAsync(["qemu-monitor-command", domain, "--hmp", command], null, cancellationToken).ConfigureAwait(false)).StandardOutput;

    /// <summary>Sends a command to the guest agent (<c>qemu-agent-command</c>) and returns the whole reply.</summary>
    /// <param name="domain">Domain name or UUID.</param>
    /// <param name="agentJson">The command, e.g. <c>{"execute":"guest-ping"}</c>.</param>
    /// <param name="timeout">How long libvirt waits for the agent's answer; null keeps libvirt's default (5 s).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async Task<JsonDocument> QemuAgentCommandAsync(
        string domain, string agentJson, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        List<string> args = ["qemu-agent-command", domain, agentJson];
        if (timeout is { } t)
        {
            args.AddRange(["--timeout", Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture)]);
        }

        var result = await RunAsync(args, null, cancellationToken).ConfigureAwait(false);
        return ParseJson(result);
    }

    /// <summary>Saves a screenshot of the domain's display to a file on the host (<c>screenshot</c>; PPM or PNG as QEMU writes it).</summary>
    public Task ScreenshotAsync(string domain, string file, CancellationToken cancellationToken = default) =>
        RunAsync(["screenshot", domain, file], null, cancellationToken);

    private JsonDocument ParseJson(HostCommandResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new FormatException($"'{PosixShell.Join(result.Arguments)}' on '{Shell.Host}' printed no valid JSON: {e.Message}", e);
        }
    }
}
