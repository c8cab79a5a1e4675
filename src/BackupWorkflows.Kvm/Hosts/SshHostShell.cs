using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace BackupWorkflows.Kvm.Hosts;

/// <summary>
/// Runs commands on a remote host (<c>ssh://user@host[:port]</c>) through SSH.NET: one connection per shell,
/// reused by every command, each command on its own session channel (up to <see cref="SshHostOptions.MaxChannels"/>
/// at once; more wait). Host keys are checked strictly by <see cref="HostKeyTrust"/>.
/// </summary>
/// <remarks>
/// The remote command line is built by <see cref="RemoteCommand"/> (so by <see cref="PosixShell.Join"/>), the
/// same as for <see cref="OpenSshHostShell"/>: C locale, remote <c>timeout</c> for a time limit, and a
/// cancelled command is stopped on the host over a second channel. A dropped connection fails the commands
/// on it as <see cref="HostCommandFailure.Unreachable"/>; the next command connects again. Keep-alives
/// every <see cref="SshHostOptions.KeepAliveInterval"/> notice a dead peer on an idle connection.
/// </remarks>
public sealed class SshHostShell : IHostShell
{
    /// <summary>
    /// The longest remote command line (UTF-8 bytes, after quoting and the <see cref="RemoteCommand"/> wrapper) this shell
    /// sends. SSH.NET refuses to send a packet over 68,536 bytes (its maximum SSH packet), and the exec request
    /// carries the line plus header, padding and MAC; 512 bytes are kept for those. A longer line is refused before
    /// anything is sent (<see cref="HostCommandFailure.StartFailed"/>), not misreported as a lost connection.
    /// </summary>
    public const int MaxCommandLineBytes = 68_536 - 512;

    /// <summary>Channels kept free beyond <see cref="SshHostOptions.MaxChannels"/> for stopping cancelled commands.</summary>
    private const int StopChannels = 2;
    private readonly SshHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _channels;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private SshClient? _client;

    /// <summary>Creates a shell for one host; no connection is made until the first command.</summary>
    public SshHostShell(SshHostOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxChannels, 1);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _channels = new SemaphoreSlim(options.MaxChannels, options.MaxChannels);
        Host = options.Label;
    }

    /// <inheritdoc />
    public string Host { get; }

    /// <summary>The options this shell was made with.</summary>
    public SshHostOptions Options => _options;

    /// <summary>How many connections this shell has opened (1 while the first one lasts).</summary>
    public int Connections { get; private set; }

    /// <inheritdoc />
    public async Task<HostCommandResult> RunAsync(
        IReadOnlyList<string> arguments,
        HostCommandOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        HostCommandValidation.RequireArguments(arguments);
        options ??= HostCommandOptions.Default;
        var command = new RemoteCommand(arguments, options, _options.TimeoutGrace);
        var lineBytes = Encoding.UTF8.GetByteCount(command.Line);
        if (lineBytes > MaxCommandLineBytes)
        {
            throw new HostCommandException(Host, arguments, HostCommandFailure.StartFailed, null,
                $"the command line is {lineBytes} bytes once quoted, over the {MaxCommandLineBytes} bytes one SSH.NET packet carries " +
                "(ssh://); pass bulk data as standard input, or use openssh://");
        }

        await _channels.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var client = await ConnectAsync(arguments, cancellationToken).ConfigureAwait(false);
            return await ExecuteAsync(client, arguments, options, command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _channels.Release();
        }
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_client is { } client)
            {
                _client = null;
                try
                {
                    client.Disconnect();
                }
                catch (Exception e) when (e is SshException or SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    // Already gone.
                }

                client.Dispose();
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task<HostCommandResult> ExecuteAsync(
        SshClient client, IReadOnlyList<string> arguments, HostCommandOptions options, RemoteCommand command, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        using var ssh = client.CreateCommand(command.Line, Encoding.UTF8);
        ssh.CommandTimeout = Timeout.InfiniteTimeSpan;
        Task execute;
        try
        {
            execute = ssh.ExecuteAsync(CancellationToken.None);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw Dropped(arguments, e);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var copyFailed = new CancellationTokenSource();
        var readOut = options.StandardOutputTarget is { } target
            ? CopyBytes(ssh.OutputStream, target, copyFailed)
            : Pump(ssh.OutputStream, stdout, command.Options.OnOutputLine);
        var readErr = Pump(ssh.ExtendedOutputStream, stderr, command.Options.OnErrorLine);
        using var timeout = command.KillAfter is { } limit
            ? new CancellationTokenSource(limit, _timeProvider)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken, copyFailed.Token);
        try
        {
            await WriteInputAsync(ssh, execute, options.StandardInput, linked.Token).ConfigureAwait(false);
            await execute.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            await StopAsync(client, ssh, command, execute).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (copyFailed.IsCancellationRequested)
            {
                // The target refused a write: the command is stopped, the write's own error is thrown.
                await readOut.ConfigureAwait(false);
            }

            throw command.TimedOut(Host, stderr.ToString());
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw Dropped(arguments, e, stderr.ToString());
        }

        // The streams end with the channel, which has closed now that the command has.
        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        var duration = _timeProvider.GetElapsedTime(started);
        var error = RemoteCommand.WithoutPidLine(stderr.ToString());
        if (ssh.ExitStatus is not { } exitCode)
        {
            // No exit status: killed by a signal, or the channel closed without one (connection lost).
            if (!client.IsConnected)
            {
                throw Dropped(arguments, null, error);
            }

            throw new HostCommandException(Host, arguments, HostCommandFailure.NonZeroExit, null,
                $"{error}\nterminated by signal {ssh.ExitSignal ?? "(none reported)"}");
        }

        return command.Result(Host, exitCode, stdout.ToString(), stderr.ToString(), duration);
    }

    /// <summary>Reads a channel stream on a thread of its own: its reads block, and blocked thread-pool threads
    /// (two per running command) starved the pool under load, delaying streamed lines by seconds.</summary>
    private static Task Pump(Stream stream, StringBuilder all, Action<string>? onLine) =>
        Task.Factory.StartNew(
            () => ProcessRunner.PumpAsync(new StreamReader(stream, Encoding.UTF8), all, onLine, blocking: true),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    /// <summary>
    /// Copies raw standard output into <paramref name="target"/> as it arrives, on a thread of its own like
    /// <see cref="Pump"/> (the channel stream has only blocking reads). Writes go through the target's asynchronous
    /// API (an HTTP response body refuses synchronous writes) and are awaited on this thread, so nothing is held
    /// beyond one buffer here. A failed write cancels <paramref name="failed"/> (which stops the command) and is
    /// rethrown. SSH.NET itself widens the channel window as data arrives, so a target slower than the network
    /// lets its pipe grow; the copy never keeps the whole output.
    /// </summary>
    private static Task CopyBytes(Stream output, Stream target, CancellationTokenSource failed) =>
        Task.Factory.StartNew(
            () =>
            {
                var buffer = new byte[256 * 1024];
                try
                {
                    int read;
                    while ((read = output.Read(buffer)) > 0)
                    {
                        target.WriteAsync(buffer.AsMemory(0, read)).AsTask().GetAwaiter().GetResult();
                    }
                }
                catch (Exception)
                {
                    failed.Cancel();
                    throw;
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task WriteInputAsync(SshCommand ssh, Task execute, string? input, CancellationToken cancellationToken)
    {
        try
        {
            // Standard input is always closed (end of file), so a command that reads it never waits for more.
            await using var stream = ssh.CreateInputStream();
            if (input is not null)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(input), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
            // SSH.NET refuses the input stream once the command has ended ("can be used only during execution"): a quick
            // command (echo) can end before its input is opened or closed, having not read it, like a closed pipe.
            // Its end is awaited by the caller; anything else is its own failure.
            await execute.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops a cancelled or timed-out command on the host (<see cref="RemoteCommand.StopLine"/>) over another
    /// channel, then lets the local command end. Best effort: the host may be unreachable, often why it was cancelled.</summary>
    private async Task StopAsync(SshClient client, SshCommand ssh, RemoteCommand command, Task execute)
    {
        try
        {
            using var kill = client.CreateCommand(command.StopLine);
            using var limit = new CancellationTokenSource(_options.ConnectTimeout + _options.TimeoutGrace, _timeProvider);
            await kill.ExecuteAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || IsConnectionFailure(e))
        {
            // Best effort.
        }

        try
        {
            await execute.WaitAsync(TimeSpan.FromSeconds(2), _timeProvider).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || IsConnectionFailure(e))
        {
            try
            {
                ssh.CancelAsync(forceKill: true, millisecondsTimeout: 1000);
            }
            catch (Exception c) when (IsConnectionFailure(c))
            {
                // The command ended meanwhile, or the connection is gone.
            }
        }
    }

    /// <summary>The open connection, or a new one (the first, or after the last one dropped).</summary>
    private async Task<SshClient> ConnectAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } open)
        {
            return open;
        }

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client is { IsConnected: true } current)
            {
                return current;
            }

            _client?.Dispose();
            _client = null;
            string? refusal = null;
            SshClient client;
            try
            {
                client = new SshClient(ConnectionInfo());
            }
            catch (Exception e) when (e is SshException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
            {
                throw new HostCommandException(Host, arguments, HostCommandFailure.Unreachable, null,
                    $"cannot use private key file {_options.IdentityFile ?? "(default keys)"}: {e.Message}", e);
            }

            client.HostKeyReceived += (_, e) =>
            {
                refusal = HostKeyTrust.Refusal(_options, e.HostKeyName, e.HostKey);
                e.CanTrust = refusal is null;
            };
            client.KeepAliveInterval = _options.KeepAliveInterval;
            using var limit = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
            try
            {
                await client.ConnectAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException || IsConnectionFailure(e))
            {
                client.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                var why = refusal ?? (e is OperationCanceledException ? $"connection timed out after {_options.ConnectTimeout}" : e.Message);
                throw new HostCommandException(Host, arguments, HostCommandFailure.Unreachable, null, why, e);
            }

            Connections++;
            _client = client;
            return client;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private ConnectionInfo ConnectionInfo()
    {
        var keys = (_options.IdentityFile is { } file ? [file] : DefaultIdentityFiles())
            .Select(f => (IPrivateKeySource)new PrivateKeyFile(f, _options.IdentityPassphrase))
            .ToArray();
        return new ConnectionInfo(_options.HostName, _options.Port, _options.User, new PrivateKeyAuthenticationMethod(_options.User, keys))
        {
            Timeout = _options.ConnectTimeout,
            MaxSessions = _options.MaxChannels + StopChannels,
        };
    }

    private static IEnumerable<string> DefaultIdentityFiles()
    {
        var ssh = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        return new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => Path.Combine(ssh, n)).Where(File.Exists);
    }

    /// <summary>A command failed because its connection is gone (the next command connects again: see <see cref="ConnectAsync"/>).</summary>
    private HostCommandException Dropped(IReadOnlyList<string> arguments, Exception? cause, string standardError = "")
    {
        var why = cause?.Message ?? "the connection was lost";
        var error = RemoteCommand.WithoutPidLine(standardError);
        return new HostCommandException(Host, arguments, HostCommandFailure.Unreachable, null,
            error.Length > 0 ? $"{error}\n{why}" : why, cause);
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is SshException or SocketException or IOException or ObjectDisposedException or InvalidOperationException;
}
