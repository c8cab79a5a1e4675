using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BackupWorkflows.Kvm.Hosts;
using Xunit;

namespace BackupWorkflows.Testing.Ssh;

/// <summary>
/// A private sshd on 127.0.0.1 with a free port, its own host key and one client key pair,
/// for tests of the SSH host shell. Use as an xunit class or collection fixture.
/// </summary>
/// <remarks>
/// Logs in as the user running the tests (root in CI). Everything lives in one temp directory
/// that is deleted on dispose. <see cref="KillConnections"/> cuts every open session to test
/// failure handling; the listener keeps running, so new connections work again.
/// </remarks>
public sealed class SshdFixture : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(20);
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _sshd;

    /// <summary>Directory holding keys, config, known_hosts and the log.</summary>
    public string Directory { get; private set; } = "";

    /// <summary>HOME of the sessions this sshd runs (empty: no shell profile to read).</summary>
    private string SessionHome => Path.Combine(Directory, "home");

    /// <summary>The TCP port sshd listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The user tests log in as.</summary>
    public string User { get; } = Environment.UserName;

    /// <summary>Address for <see cref="HostShellFactory.Create"/>: <c>ssh://USER@127.0.0.1:PORT</c>.</summary>
    public string HostUri => $"ssh://{User}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Private key of the client.</summary>
    public string IdentityFile => Path.Combine(Directory, "client_ed25519");

    /// <summary>known_hosts holding this sshd's host key for <c>[127.0.0.1]:PORT</c>.</summary>
    public string KnownHostsFile => Path.Combine(Directory, "known_hosts");

    /// <summary>sshd's own log lines (stderr of <c>sshd -e</c>), for diagnosing failures.</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>After <see cref="RecordCommandsAsync"/>: the file holding every command line sshd was asked to run, one per line.</summary>
    public string? CommandRecord { get; private set; }

    /// <summary>
    /// From now on every command of this fixture's key runs through a wrapper (an authorized_keys <c>command=</c>)
    /// that appends <c>$SSH_ORIGINAL_COMMAND</c> to <see cref="CommandRecord"/> and then runs it with the user's shell,
    /// so a test can tell whether a value ever reached a host command.
    /// </summary>
    public async Task RecordCommandsAsync()
    {
        CommandRecord = Path.Combine(Directory, "commands.log");
        var wrapper = Path.Combine(Directory, "record-command");
        await File.WriteAllTextAsync(wrapper,
            $"#!/bin/sh\nprintf '%s\\n' \"$SSH_ORIGINAL_COMMAND\" >> '{CommandRecord}'\nexec \"${{SHELL:-/bin/sh}}\" -c \"$SSH_ORIGINAL_COMMAND\"\n");
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("sshd runs on Linux only.");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                      | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await File.WriteAllTextAsync(CommandRecord, "");
        var key = (await File.ReadAllTextAsync(IdentityFile + ".pub")).Trim();
        await File.WriteAllTextAsync(Path.Combine(Directory, "authorized_keys"), $"command=\"{wrapper}\" {key}\n");
    }

    /// <summary>The host key's fingerprint (<c>SHA256:…</c>), as <c>ssh-keygen -l</c> shows it.</summary>
    public string HostKeyFingerprint { get; private set; } = "";

    /// <summary>The address with another scheme: <c>openssh</c> for the system OpenSSH client.</summary>
    public string HostUriFor(string scheme) => $"{scheme}://{User}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A new shell to this sshd, with this fixture's key and known_hosts; <paramref name="scheme"/>
    /// <c>ssh</c> (SSH.NET) or <c>openssh</c>.</summary>
    public IHostShell CreateShell(TimeProvider? timeProvider = null, string scheme = "ssh") =>
        HostShellFactory.Create(HostUriFor(scheme), IdentityFile, KnownHostsFile, timeProvider);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // Short path: the client's control socket and sshd paths stay well under Unix limits.
        Directory = System.IO.Directory.CreateTempSubdirectory("bwf-sshd-").FullName;
        await ProcessUtil.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bwf-test-host", "-f", Path.Combine(Directory, "host_ed25519"));
        await ProcessUtil.RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bwf-test-client", "-f", IdentityFile);
        File.Copy(IdentityFile + ".pub", Path.Combine(Directory, "authorized_keys"));
        System.IO.Directory.CreateDirectory("/run/sshd");

        Port = LoopbackPort.Free();
        var config = Path.Combine(Directory, "sshd_config");
        await File.WriteAllLinesAsync(config,
        [
            $"Port {Port.ToString(CultureInfo.InvariantCulture)}",
            "ListenAddress 127.0.0.1",
            $"HostKey {Path.Combine(Directory, "host_ed25519")}",
            $"PidFile {Path.Combine(Directory, "sshd.pid")}",
            $"AuthorizedKeysFile {Path.Combine(Directory, "authorized_keys")}",
            "UsePAM no",
            "StrictModes no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin yes",
            "MaxSessions 128",
            "MaxStartups 64:30:128",
            "LogLevel INFO",
            // Sessions get a home of their own: bash sources ~/.bashrc for commands sshd runs, and root's on these machines
            // runs `pyenv init` (3.6 s per command instead of 0.7 s, measured on a loaded machine). The product is unaffected:
            // the hosts it reaches are not this fixture.
            $"SetEnv HOME={SessionHome}",
        ]);
        System.IO.Directory.CreateDirectory(SessionHome);

        var hostKeyFile = Path.Combine(Directory, "host_ed25519.pub");
        var hostKey = (await File.ReadAllTextAsync(hostKeyFile)).Split(' ');
        // From OpenSSH itself ("256 SHA256:… comment (ED25519)"), not from the code under test (KnownHosts.Fingerprint).
        HostKeyFingerprint = (await ProcessUtil.RunAsync("ssh-keygen", "-l", "-E", "sha256", "-f", hostKeyFile))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        await File.WriteAllTextAsync(KnownHostsFile, $"[127.0.0.1]:{Port.ToString(CultureInfo.InvariantCulture)} {hostKey[0]} {hostKey[1]}\n");

        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-D", "-e", "-f", config })
        {
            start.ArgumentList.Add(a);
        }

        _sshd = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start.");
        _sshd.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(e.Data); } };
        _sshd.OutputDataReceived += (_, e) => { if (e.Data is not null) { _log.Enqueue(e.Data); } };
        _sshd.BeginErrorReadLine();
        _sshd.BeginOutputReadLine();
        await WaitUntilListeningAsync();
    }

    /// <summary>
    /// Kills every sshd process serving a connection (the listener's children), which drops all
    /// open sessions and shared connections at once. Returns how many were killed.
    /// </summary>
    public int KillConnections()
    {
        var listener = _sshd?.Id ?? throw new InvalidOperationException("sshd is not running.");
        var killed = 0;
        foreach (var pid in ProcessUtil.ChildrenOf(listener))
        {
            // SIGTERM, not SIGKILL: sshd then drops the connection and its session shells get SIGHUP
            // and run their exit traps. A SIGKILLed login shell can leave rc-file locks behind (pyenv's
            // rehash lock stalled every later login on this machine for 60 s each).
            if (Kill(pid, SigTerm) == 0)
            {
                killed++;
            }
        }

        return killed;
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_sshd is { } sshd)
        {
            try
            {
                sshd.Kill(entireProcessTree: true);
                await sshd.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            sshd.Dispose();
            _sshd = null;
        }

        if (Directory.Length > 0 && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    private Task WaitUntilListeningAsync() =>
        Eventually.UntilAsync(
            async () =>
            {
                if (_sshd!.HasExited)
                {
                    throw new InvalidOperationException($"sshd exited with {_sshd.ExitCode}: {string.Join('\n', _log)}");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, Port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            },
            $"sshd listening on 127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}",
            StartDeadline);
}
