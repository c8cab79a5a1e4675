using System.Globalization;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// Runs commands on a remote host (<c>openssh://user@host[:port]</c>) through the system OpenSSH client, one
/// multiplexed connection per host (ControlMaster), host keys checked strictly, never interactive. Unlike
/// <see cref="SshHostShell"/> it reads the user's ssh configuration (<c>~/.ssh/config</c>), so jump hosts
/// (<c>ProxyJump</c>), bastions and per-host options work; the options below still override it.
/// </summary>
/// <remarks>
/// The remote command is one line built by <see cref="PosixShell.Join"/>; the remote login
/// shell splits it back into exactly the arguments given. A command with a time limit runs
/// under the remote <c>timeout</c> (coreutils), so a hung command stops on the host too,
/// not only the local client. Exit code 255 is ssh's own failure and reads as
/// <see cref="HostCommandFailure.Unreachable"/>.
/// <para>
/// Each instance owns its shared connection (its own control socket directory): disposing one
/// shell closes only its connection, never the sessions of another shell to the same host. The
/// first command of an instance opens the connection alone (a plain <c>true</c>) while others
/// wait, so a burst of parallel commands makes one TCP connection, not one each (which sshd's
/// MaxStartups could refuse).
/// </para>
/// </remarks>
public sealed class OpenSshHostShell : IHostShell
{
    private const int SshFailureExitCode = 255;
    private readonly SshHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _controlDirectory;
    private readonly string _controlPath;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private volatile bool _connected;

    /// <summary>Creates a shell for one host; no connection is made until the first command.</summary>
    public OpenSshHostShell(SshHostOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _controlDirectory = CreateControlDirectory(options.ControlDirectory);
        // %C is a hash of local host, remote host, port and user: short and unique per target.
        _controlPath = Path.Combine(_controlDirectory, "%C");
        Host = options.Label;
    }

    /// <inheritdoc />
    public string Host { get; }

    /// <summary>The options this shell was made with.</summary>
    public SshHostOptions Options => _options;

    /// <inheritdoc />
    public async Task<HostCommandResult> RunAsync(
        IReadOnlyList<string> arguments,
        HostCommandOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        HostCommandValidation.RequireArguments(arguments);
        options ??= HostCommandOptions.Default;

        var command = new RemoteCommand(arguments, options, _options.TimeoutGrace);
        await ConnectOnceAsync(arguments, cancellationToken).ConfigureAwait(false);
        var sshArguments = BuildSshArguments(command.Line);
        ProcessRunner.Outcome outcome;
        try
        {
            outcome = await ProcessRunner.RunAsync(
                Host, arguments, sshArguments, command.Options, command.KillAfter, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await StopRemoteAsync(command).ConfigureAwait(false);
            throw;
        }

        if (outcome.TimedOut)
        {
            throw command.TimedOut(Host, outcome.StandardError);
        }

        try
        {
            return command.Result(Host, outcome.ExitCode, outcome.StandardOutput, outcome.StandardError, outcome.Duration, SshFailureExitCode);
        }
        catch (HostCommandException e) when (e.Failure == HostCommandFailure.Unreachable)
        {
            _connected = false;
            throw;
        }
    }

    /// <summary>Closes this shell's shared connection, if one is open.</summary>
    public async ValueTask DisposeAsync()
    {
        _connectGate.Dispose();
        var exit = BuildSshArguments(null, "-O", "exit");
        try
        {
            await ProcessRunner.RunAsync(
                Host, exit, exit, new HostCommandOptions(), TimeSpan.FromSeconds(5), _timeProvider, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (HostCommandException)
        {
            // No master running: nothing to close.
        }

        // The exiting master removes its socket while we delete: retry briefly, then leave the tiny directory.
        for (var attempt = 0; attempt < 3 && Directory.Exists(_controlDirectory); attempt++)
        {
            try
            {
                Directory.Delete(_controlDirectory, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops a cancelled command on the host (<see cref="RemoteCommand.StopLine"/>). Best effort.</summary>
    private async Task StopRemoteAsync(RemoteCommand command)
    {
        var kill = BuildSshArguments(command.StopLine);
        try
        {
            await ProcessRunner.RunAsync(
                Host, ["kill"], kill, HostCommandOptions.Default, _options.ConnectTimeout + _options.TimeoutGrace, _timeProvider, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (HostCommandException)
        {
            // Best effort: the host may be unreachable, which is often why the command was cancelled.
        }
    }

    /// <summary>Opens the shared connection with a trivial command before the first real one.</summary>
    /// <exception cref="HostCommandException">The host cannot be reached; it names <paramref name="arguments"/>, the command that needed it.</exception>
    private async Task ConnectOnceAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (_connected)
        {
            return;
        }

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connected)
            {
                return;
            }

            var probe = BuildSshArguments("true");
            var outcome = await ProcessRunner.RunAsync(
                Host, ["true"], probe, HostCommandOptions.Default, _options.ConnectTimeout + _options.TimeoutGrace, _timeProvider, cancellationToken)
                .ConfigureAwait(false);
            if (outcome.ExitCode == SshFailureExitCode || outcome.TimedOut)
            {
                throw new HostCommandException(Host, arguments, HostCommandFailure.Unreachable, outcome.TimedOut ? null : SshFailureExitCode, outcome.StandardError);
            }

            _connected = true;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>The ssh client's argument list for a remote command line (or a control operation).</summary>
    internal IReadOnlyList<string> BuildSshArguments(string? remoteCommandLine, params string[] control)
    {
        var o = _options;
        var args = new List<string>
        {
            "ssh",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "LogLevel=ERROR",
            "-o", "ControlMaster=auto",
            "-o", $"ControlPath={_controlPath}",
            "-o", $"ControlPersist={(int)o.ControlPersist.TotalSeconds}",
            "-o", $"ConnectTimeout={Math.Max(1, (int)o.ConnectTimeout.TotalSeconds)}",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=3",
            "-T",
            "-p", o.Port.ToString(CultureInfo.InvariantCulture),
            "-l", o.User,
        };
        if (o.KnownHostsFile is not null)
        {
            args.AddRange(["-o", $"UserKnownHostsFile={o.KnownHostsFile}", "-o", "GlobalKnownHostsFile=/dev/null"]);
        }

        if (o.IdentityFile is not null)
        {
            args.AddRange(["-i", o.IdentityFile, "-o", "IdentitiesOnly=yes"]);
        }

        args.AddRange(control);
        args.Add("--");
        args.Add(o.HostName);
        if (remoteCommandLine is not null)
        {
            args.Add(remoteCommandLine);
        }

        return args;
    }

    /// <summary>A fresh private directory for this instance's control socket, below <paramref name="parent"/>
    /// or a per-user directory in the temp directory. Short names keep the socket path under the
    /// 107-byte Unix limit.</summary>
    private static string CreateControlDirectory(string? parent)
    {
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        parent ??= Path.Combine(Path.GetTempPath(), $"bwf-ssh-{Environment.UserName}");
        var directory = Path.Combine(parent, Guid.NewGuid().ToString("N")[..10]);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(parent, owner);
            Directory.CreateDirectory(directory, owner);
        }

        return directory;
    }
}
