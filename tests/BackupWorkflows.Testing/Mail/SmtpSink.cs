using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace BackupWorkflows.Testing.Mail;

/// <summary>
/// A real SMTP server on 127.0.0.1 (a free port) for email tests: aiosmtpd (Debian's python3-aiosmtpd) run by
/// <c>smtp_sink.py</c>, which records every accepted message as a JSON file and every AUTH, MAIL and RCPT command.
/// </summary>
/// <remarks>
/// Not postfix's <c>smtp-sink</c>: it answers AUTH with <c>250</c> instead of <c>235</c>, which MailKit (rightly,
/// RFC 4954) takes as a failed login, so a test could not send with a password. The script runs under
/// <c>/usr/bin/python3</c>, the interpreter the Debian package installs into (a pyenv python on PATH lacks it).
/// </remarks>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private SmtpSink(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
    }

    /// <summary>The address the sink listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the sink listens on.</summary>
    public int Port { get; }

    /// <summary>Where the messages and <c>commands.log</c> are written (deleted on dispose).</summary>
    public string Directory { get; }

    /// <summary>With TLS: the SHA-256 fingerprint of the server's certificate as openssl prints it (<c>AB:CD:…</c>).</summary>
    public string? CertificateSha256 { get; private init; }

    /// <summary>The server's output (warnings, tracebacks), for diagnosing failures.</summary>
    public IReadOnlyCollection<string> Log => _log;

    /// <summary>Every accepted message so far, in arrival order.</summary>
    public IReadOnlyList<SmtpSinkMessage> Messages =>
        System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<SmtpSinkMessage>(File.ReadAllText(f), JsonSerializerOptions.Web)!).ToList();

    /// <summary>One line per command the server saw: <c>AUTH PLAIN ops accepted</c>, <c>MAIL a@x</c>, <c>RCPT b@y [reply]</c>.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            var path = Path.Combine(Directory, "commands.log");
            return File.Exists(path) ? File.ReadAllLines(path) : [];
        }
    }

    /// <summary>Starts a sink on a free port and returns once it accepts connections.</summary>
    public static async Task<SmtpSink> StartAsync(SmtpSinkOptions? options = null)
    {
        options ??= new SmtpSinkOptions();
        if (!File.Exists(Python) || !File.Exists("/usr/lib/python3/dist-packages/aiosmtpd/__init__.py"))
            throw new InvalidOperationException("SmtpSink needs Debian's python3-aiosmtpd (deploy/setup.sh installs it).");
        var directory = System.IO.Directory.CreateTempSubdirectory("bwf-smtp-").FullName;
        var script = Path.Combine(directory, "smtp_sink.py");
        await using (var resource = typeof(SmtpSink).Assembly.GetManifestResourceStream("BackupWorkflows.Testing.Mail.smtp_sink.py")!)
        await using (var file = File.Create(script))
            await resource.CopyToAsync(file);
        var messages = System.IO.Directory.CreateDirectory(Path.Combine(directory, "mail")).FullName;

        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", messages })
            start.ArgumentList.Add(a);
        foreach (var (user, password) in options.Logins)
        {
            start.ArgumentList.Add("--login");
            start.ArgumentList.Add($"{user}:{password}");
        }
        if (options.RcptReply is { } reply)
        {
            start.ArgumentList.Add("--rcpt-reply");
            start.ArgumentList.Add(reply);
        }
        string? fingerprint = null;
        if (options.Tls != SmtpSinkTls.None)
        {
            // Self-signed for 127.0.0.1: no machine trusts it (a test of the certificate check), and its fingerprint comes
            // from openssl, not from the code under test (a test of pinning).
            var (cert, key) = (Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
            await ProcessUtil.RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
            fingerprint = (await ProcessUtil.RunAsync("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", cert)).Trim().Split('=')[1];
            foreach (var a in new[] { options.Tls == SmtpSinkTls.StartTls ? "--starttls" : "--implicit-tls", cert, key })
                start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp_sink.py did not start.");
        var sink = new SmtpSink(process, port, messages) { CertificateSha256 = fingerprint };
        var ready = false;
        process.OutputDataReceived += (_, e) => { if (e.Data == "ready") ready = true; else if (e.Data is not null) sink._log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) sink._log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.UntilAsync(() =>
                process.HasExited ? throw new InvalidOperationException($"smtp_sink.py exited with {process.ExitCode}: {string.Join('\n', sink._log)}") : ready,
                $"the SMTP sink listening on 127.0.0.1:{port}", TimeSpan.FromSeconds(20));
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
        return sink;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        _process.Dispose();
        var root = Path.GetDirectoryName(Directory)!;
        if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, recursive: true);
    }
}

/// <summary>How an <see cref="SmtpSink"/> answers.</summary>
public sealed record SmtpSinkOptions
{
    /// <summary>User name to password: AUTH accepts these pairs only, and a message without a login is refused (530).</summary>
    public IReadOnlyDictionary<string, string> Logins { get; init; } = new Dictionary<string, string>();

    /// <summary>TLS with a self-signed certificate for 127.0.0.1 (made with openssl at start): none (default), offered
    /// through STARTTLS, or implicit from the first byte.</summary>
    public SmtpSinkTls Tls { get; init; }

    /// <summary>A reply to every RCPT (e.g. <c>550 5.1.1 &lt;x@y&gt;: Recipient address rejected</c>); null: 250.</summary>
    public string? RcptReply { get; init; }
}

/// <summary>The TLS an <see cref="SmtpSink"/> speaks.</summary>
public enum SmtpSinkTls
{
    /// <summary>Clear text only.</summary>
    None,
    /// <summary>Clear text that offers STARTTLS.</summary>
    StartTls,
    /// <summary>TLS from the first byte (SMTPS).</summary>
    Implicit,
}

/// <summary>One accepted message, as the server read it (headers decoded by Python's email package).</summary>
/// <param name="MailFrom">The envelope sender (MAIL FROM).</param>
/// <param name="RcptTos">The envelope recipients (RCPT TO) the server accepted.</param>
/// <param name="Login">The user that logged in for this message, or null.</param>
/// <param name="Tls">The TLS version the message came over (e.g. <c>TLSv1.3</c>), or null for clear text.</param>
/// <param name="From">The From header.</param>
/// <param name="To">The To header.</param>
/// <param name="Subject">The Subject header.</param>
/// <param name="Body">The text/plain body, line breaks as \n.</param>
/// <param name="Raw">The message as received.</param>
public sealed record SmtpSinkMessage(string MailFrom, IReadOnlyList<string> RcptTos, string? Login, string? Tls, string From, string To, string Subject,
    string? Body, string Raw);
