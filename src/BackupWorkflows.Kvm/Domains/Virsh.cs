using BackupWorkflows.Kvm.Agent;
using BackupWorkflows.Kvm.Hosts;

namespace BackupWorkflows.Kvm.Domains;

/// <summary>
/// libvirt on a host as typed calls through <c>virsh -c URI</c>. Domain descriptions are read from
/// XML (<c>dumpxml</c>), QEMU data from QMP JSON; only <c>list --name</c>, <c>domuuid</c> and
/// <c>domstate</c> print plain words, which are stable in the C locale.
/// </summary>
public sealed partial class Virsh
{
    /// <summary>Runs virsh through <paramref name="shell"/> against <paramref name="connectionUri"/>.</summary>
    /// <param name="shell">The host.</param>
    /// <param name="connectionUri">libvirt URI. Default <c>qemu:///system</c>.</param>
    /// <param name="timeProvider">Clock for polling.</param>
    public Virsh(IHostShell shell, string connectionUri = "qemu:///system", TimeProvider? timeProvider = null)
    {
        Shell = shell ?? throw new ArgumentNullException(nameof(shell));
        ConnectionUri = connectionUri;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The host shell virsh runs through.</summary>
    public IHostShell Shell { get; }

    /// <summary>The libvirt connection URI.</summary>
    public string ConnectionUri { get; }

    /// <summary>The clock used for polling.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Runs <c>virsh -c URI ARGUMENTS</c>: the escape hatch for calls not typed here.</summary>
    public Task<HostCommandResult> RunAsync(
        IEnumerable<string> arguments, HostCommandOptions? options = null, CancellationToken cancellationToken = default) =>
        Shell.RunAsync(["virsh", "-c", ConnectionUri, .. arguments], options, cancellationToken);

    /// <summary>Names of all domains, running or not (<c>list --all --name</c>).</summary>
    public async Task<IReadOnlyList<string>> ListDomainNamesAsync(CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["list", "--all", "--name"], null, cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>All domains with UUID and state. A domain removed while listing is skipped.</summary>
    public async Task<IReadOnlyList<DomainSummary>> ListDomainsAsync(CancellationToken cancellationToken = default)
    {
        var summaries = new List<DomainSummary>();
        foreach (var name in await ListDomainNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var uuid = await GetUuidAsync(name, cancellationToken).ConfigureAwait(false);
                var state = await GetStateAsync(name, cancellationToken).ConfigureAwait(false);
                summaries.Add(new DomainSummary(name, uuid, state));
            }
            catch (HostCommandException e) when (e.StandardErrorTail.Contains("failed to get domain", StringComparison.Ordinal))
            {
                // Undefined between list and lookup.
            }
        }

        return summaries;
    }

    /// <summary>Whether a domain with this name or UUID is defined.</summary>
    public async Task<bool> ExistsAsync(string domain, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(["domuuid", domain], new HostCommandOptions { SuccessExitCodes = [0, 1] }, cancellationToken)
            .ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    /// <summary>A domain's state (<c>domstate</c>).</summary>
    public async Task<DomainState> GetStateAsync(string domain, CancellationToken cancellationToken = default) =>
        DomainStates.Parse((await RunAsync(["domstate", domain], null, cancellationToken).ConfigureAwait(false)).StandardOutput);

    /// <summary>A domain's UUID (<c>domuuid</c>).</summary>
    public async Task<string> GetUuidAsync(string domain, CancellationToken cancellationToken = default) =>
        (await RunAsync(["domuuid", domain], null, cancellationToken).ConfigureAwait(false)).StandardOutput.Trim();

    /// <summary>A domain's XML (<c>dumpxml</c>; <c>--inactive</c> for the persistent definition a restart would use).</summary>
    public async Task<string> DumpXmlAsync(string domain, bool inactive = false, CancellationToken cancellationToken = default)
    {
        string[] args = inactive ? ["dumpxml", "--inactive", domain] : ["dumpxml", domain];
        return (await RunAsync(args, null, cancellationToken).ConfigureAwait(false)).StandardOutput;
    }

    /// <summary>A domain's parsed definition (live, or <paramref name="inactive"/>).</summary>
    public async Task<DomainDefinition> GetDefinitionAsync(string domain, bool inactive = false, CancellationToken cancellationToken = default) =>
        DomainDefinition.Parse(await DumpXmlAsync(domain, inactive, cancellationToken).ConfigureAwait(false));

    /// <summary>Defines (or redefines) a persistent domain from XML. The XML travels to the host as
    /// a temporary file (virsh reads definitions from files), which is removed afterwards.</summary>
    /// <returns>The defined domain's name.</returns>
    public async Task<string> DefineAsync(string xml, CancellationToken cancellationToken = default)
    {
        var name = DomainDefinition.Parse(xml).Name;
        var files = new HostFiles(Shell);
        var directory = await files.CreateTempDirectoryAsync("bwf-define", cancellationToken).ConfigureAwait(false);
        try
        {
            var file = $"{directory}/domain.xml";
            await files.WriteTextAsync(file, xml, cancellationToken).ConfigureAwait(false);
            await RunAsync(["define", file], null, cancellationToken).ConfigureAwait(false);
            return name;
        }
        finally
        {
            await files.DeleteDirectoryAsync(directory, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a domain's persistent definition (<c>undefine</c>); a running domain keeps running as transient.</summary>
    /// <param name="domain">Domain name or UUID.</param>
    /// <param name="withSnapshotAndCheckpointMetadata">Also drop libvirt's snapshot and checkpoint metadata, which otherwise blocks undefine.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public Task UndefineAsync(string domain, bool withSnapshotAndCheckpointMetadata = true, CancellationToken cancellationToken = default) =>
        RunAsync(
            withSnapshotAndCheckpointMetadata
                ? ["undefine", domain, "--snapshots-metadata", "--checkpoints-metadata"]
                : ["undefine", domain],
            null,
            cancellationToken);

    /// <summary>Starts a defined domain (<c>start</c>).</summary>
    public Task StartAsync(string domain, CancellationToken cancellationToken = default) =>
        RunAsync(["start", domain], null, cancellationToken);

    /// <summary>How long <see cref="ShutdownAsync"/> keeps asking an agent that does not answer yet when no wait is given.</summary>
    public static readonly TimeSpan DefaultAgentShutdownWait = TimeSpan.FromSeconds(60);

    /// <summary>Asks the guest to shut down (<c>shutdown</c>, optionally <c>--mode acpi|agent</c>) and,
    /// with <paramref name="waitFor"/>, waits until it is shut off.</summary>
    /// <remarks>
    /// Through the agent (<c>--mode agent</c>), an agent that does not answer yet (the guest is still
    /// booting, the agent restarting) is asked again every 250 ms for up to <paramref name="waitFor"/>
    /// (<see cref="DefaultAgentShutdownWait"/> when null). A request whose agent channel closed while
    /// libvirt waited for the guest's shutdown event counts as delivered once the domain is shut off.
    /// </remarks>
    /// <exception cref="TimeoutException">Still not shut off after <paramref name="waitFor"/>.</exception>
    /// <exception cref="GuestAgentUnavailableException">The agent did not answer within the wait, or the domain has none.</exception>
    public async Task ShutdownAsync(string domain, string? mode = null, TimeSpan? waitFor = null, CancellationToken cancellationToken = default)
    {
        if (mode == "agent")
        {
            await ShutdownThroughAgentAsync(domain, waitFor ?? DefaultAgentShutdownWait, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RunAsync(mode is null ? ["shutdown", domain] : ["shutdown", domain, "--mode", mode], null, cancellationToken).ConfigureAwait(false);
        }

        if (waitFor is { } limit)
        {
            await WaitForStateAsync(domain, DomainState.ShutOff, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ShutdownThroughAgentAsync(string domain, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = TimeProvider.GetTimestamp();
        var delivered = false;
        while (true)
        {
            try
            {
                await RunAsync(["shutdown", domain, "--mode", "agent"], null, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HostCommandException e) when (GuestAgentUnavailableException.Matches(e) || GuestAgentUnavailableException.IsNotAnsweringYet(e))
            {
                delivered |= GuestAgentUnavailableException.ChannelClosed(e);
                if (delivered && await GetStateAsync(domain, cancellationToken).ConfigureAwait(false) == DomainState.ShutOff)
                {
                    return;
                }

                if (!GuestAgentUnavailableException.IsNotAnsweringYet(e) && !delivered)
                {
                    throw new GuestAgentUnavailableException(domain, e);
                }

                if (TimeProvider.GetElapsedTime(started) > limit)
                {
                    throw new GuestAgentUnavailableException(domain, e, limit);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops a domain at once, like pulling the power (<c>destroy</c>).</summary>
    public Task DestroyAsync(string domain, CancellationToken cancellationToken = default) =>
        RunAsync(["destroy", domain], null, cancellationToken);

    /// <summary>Polls <c>domstate</c> until the domain reaches <paramref name="state"/>.</summary>
    /// <exception cref="TimeoutException">Not reached within <paramref name="limit"/>.</exception>
    public async Task WaitForStateAsync(string domain, DomainState state, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var started = TimeProvider.GetTimestamp();
        DomainState current;
        while ((current = await GetStateAsync(domain, cancellationToken).ConfigureAwait(false)) != state)
        {
            if (TimeProvider.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Domain '{domain}' on '{Shell.Host}' is {current}, not {state}, after {limit}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
