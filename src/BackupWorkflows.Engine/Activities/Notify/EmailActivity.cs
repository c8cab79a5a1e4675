using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BackupWorkflows.Engine.Bindings;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BackupWorkflows.Engine.Activities.Notify;

/// <summary>
/// Sends a plain-text email over SMTP with MailKit. TLS is <c>starttls</c> unless the definition says <c>tls</c>
/// (implicit) or <c>none</c> (<see cref="SmtpTls"/>); the server's certificate is checked against the machine's trusted
/// roots. <see cref="Password"/> is a sensitive input (<c>***</c> in the journal). A connection failure or a 4xx
/// answer (the server's "try later") is retried with backoff by the engine's retry policy; a 5xx answer, a refused
/// login, a missing STARTTLS offer, an untrusted certificate or a bad input faults at once with the reason.
/// </summary>
[Activity(TypeName, Category = "Notify", DisplayName = "Email",
    Description = "Sends a text email over SMTP (STARTTLS by default); retried on 4xx and connection errors, faults on 5xx.")]
[Outcomes("Done", "Failed")]
[Retry(MaxAttempts = 5, BaseDelaySeconds = 1, MaxDelaySeconds = 30)]
[Timeout(60)]
public sealed class EmailActivity : Activity, IDesignChecked
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Notify.Email";

    /// <summary>The SMTP server.</summary>
    [Input(Description = "SMTP server host name or address (may bind, e.g. {{ input.smtpHost }}).", Required = true)]
    public string Host { get; set; } = "";

    /// <summary>The server's port; without one, the TLS mode's (587, 465 or 25).</summary>
    [Input(Description = "SMTP port; empty: 587 for starttls, 465 for tls, 25 for none.")]
    public int? Port { get; set; }

    /// <summary>The TLS mode, one of <see cref="SmtpTls.Modes"/>.</summary>
    [Input(Description = "starttls (default: upgrade, and fail if the server does not offer it), tls (implicit TLS) or none (clear text).",
        UIHint = "dropdown", Default = SmtpTls.Default)]
    public string Tls { get; set; } = SmtpTls.Default;

    /// <summary>The fingerprint of the one certificate to accept instead of checking it against the trusted roots.</summary>
    [Input(Description = "SHA-256 fingerprint (hex, colons optional) of the server's certificate, for a relay with a self-signed "
        + "certificate: that certificate is accepted, and only it; empty: the machine's trusted roots and the host name decide.")]
    public string? CertificateSha256 { get; set; }

    /// <summary>Login name; empty: no login.</summary>
    [Input(Description = "Login name for SMTP AUTH; empty: send without logging in.")]
    public string? Username { get; set; }

    /// <summary>Login password: masked in the journal.</summary>
    [Input(Description = "Password for SMTP AUTH; masked in the journal (bind it to a workflow input rather than typing it here).",
        Sensitive = true)]
    public string? Password { get; set; }

    /// <summary>The sender.</summary>
    [Input(Description = "Sender, e.g. backups@example.com or Backups <backups@example.com>.", Required = true)]
    public string From { get; set; } = "";

    /// <summary>The recipients.</summary>
    [Input(Description = "Recipients: a list, one address per entry (an entry may hold several separated by commas); bind a list, or a single address as [\"{{ input.to }}\"].", Required = true)]
    public IReadOnlyList<string?> To { get; set; } = [];

    /// <summary>The subject (line breaks become spaces).</summary>
    [Input(Description = "Subject (may bind, e.g. backup of {{ input.vm }} failed); line breaks become spaces.")]
    public string? Subject { get; set; }

    /// <summary>The text body.</summary>
    [Input(Description = "Plain-text body (may bind).", UIHint = "multiline")]
    public string? Body { get; set; }

    /// <summary>The recipients the server accepted.</summary>
    [Output(Description = "Addresses the server accepted.")]
    public IReadOnlyList<string> Recipients { get; private set; } = [];

    /// <summary>The server's answer to the message.</summary>
    [Output(Description = "The server's answer to the message, e.g. 2.0.0 Ok: queued as 4F2A1.")]
    public string Response { get; private set; } = "";

    /// <inheritdoc />
    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        var message = Compose(out var tls, out var port);
        var server = $"{Host.Trim()}:{port}";
        using var client = new SmtpClient();
        if (SmtpTls.Fingerprint(CertificateSha256) is { } pinned)
            client.ServerCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)) == pinned;
        try
        {
            await client.ConnectAsync(Host.Trim(), port, tls, context.CancellationToken);
            if (!string.IsNullOrEmpty(Username))
            {
                if (!client.IsSecure) context.Journal($"logging in to {server} as {Username} without TLS (tls: none)");
                await client.AuthenticateAsync(Username, Password ?? "", context.CancellationToken);
            }
            Response = await client.SendAsync(message, context.CancellationToken);
            Recipients = message.To.Mailboxes.Select(m => m.Address).ToList();
            context.Journal($"SMTP {server} accepted the message to {string.Join(", ", Recipients)}: {Response}");
        }
        catch (SmtpCommandException e)
        {
            // 4xx says "later" (greylisting, a full queue, a rate limit): another attempt may pass. 5xx will answer the same.
            var transient = (int)e.StatusCode < 500;
            var text = $"SMTP {server} {(transient ? "deferred" : "refused")} {Command(e)}: {(int)e.StatusCode} {e.Message.Trim()}";
            if (transient)
                throw e.Mailbox is { } mailbox ? new SmtpCommandException(e.ErrorCode, e.StatusCode, mailbox, text, e)
                    : new SmtpCommandException(e.ErrorCode, e.StatusCode, text, e);
            throw new NonRetryableActivityException(text, e);
        }
        catch (AuthenticationException e)
        {
            throw new NonRetryableActivityException($"SMTP {server} refused the login of '{Username}': {e.Message.Trim()}", e);
        }
        catch (SslHandshakeException e)
        {
            throw new NonRetryableActivityException(
                $"SMTP {server}: the TLS handshake (tls: {Tls}) failed (an untrusted or mismatched certificate, or a port that does not speak that mode): {OneLine(e.Message)}", e);
        }
        catch (NotSupportedException e)
        {
            // MailKit's words for a missing extension (no STARTTLS, no AUTH, no SMTPUTF8 offered): a setting, not a passing state.
            throw new NonRetryableActivityException($"SMTP {server} (tls: {Tls}): {e.Message.Trim()}", e);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException)
        {
            throw new IOException($"SMTP {server}: {e.Message.Trim()}", e);
        }
        // The message is accepted: nothing after this may fault the attempt, or a retry would send it twice.
        try { await client.DisconnectAsync(quit: true, context.CancellationToken); }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or SmtpProtocolException)
        {
            context.Journal($"QUIT to {server} failed after the message was accepted: {e.Message}");
        }
        return ActivityResult.Done;
    }

    /// <summary>The message from the inputs; a bad input is a <see cref="NonRetryableActivityException"/> naming it.</summary>
    private MimeMessage Compose(out SecureSocketOptions tls, out int port)
    {
        var problems = Problems(Host, Port, Tls, CertificateSha256, Username, Password).ToList();
        var from = EmailAddresses.Sender(From, out var fromProblem);
        if (fromProblem is not null) problems.Add(("from", fromProblem));
        var to = EmailAddresses.Recipients(To, out var toProblem);
        if (toProblem is not null) problems.Add(("to", toProblem));
        if (problems.Count > 0)
            throw new NonRetryableActivityException(string.Join("; ", problems.Select(p => $"Email input '{p.Input}' {p.Problem}")));
        tls = SmtpTls.Options(Tls)!.Value;
        port = Port ?? SmtpTls.DefaultPort(tls);
        var message = new MimeMessage { Subject = OneLine(Subject ?? ""), Body = new TextPart("plain") { Text = Body ?? "" } };
        message.From.Add(from!);
        message.To.AddRange(to);
        return message;
    }

    /// <summary>Problems of the inputs that need no parsing of addresses; shared by the run and the design check.</summary>
    private static IEnumerable<(string Input, string Problem)> Problems(string? host, int? port, string? tls, string? certificateSha256,
        string? username, string? password)
    {
        if (host is not null && (host.Trim().Length == 0 || host.Trim().Any(char.IsWhiteSpace)))
            yield return ("host", $"'{host}' is not a host name or address");
        if (port is { } p && p is < 1 or > 65535) yield return ("port", $"must be from 1 to 65535; got {p}");
        if (SmtpTls.Problem(tls) is { } tlsProblem) yield return ("tls", tlsProblem);
        if (!string.IsNullOrWhiteSpace(certificateSha256) && certificateSha256 != Bound && SmtpTls.Fingerprint(certificateSha256) is null)
            yield return ("certificateSha256", "must be 64 hex digits (a SHA-256 fingerprint, colons allowed)");
        if (!string.IsNullOrWhiteSpace(certificateSha256) && SmtpTls.Options(tls) == SecureSocketOptions.None)
            yield return ("certificateSha256", "is set but tls is none: a certificate is only seen over TLS");
        if (string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(password))
            yield return ("username", "is empty but a password is given: give the login name too");
        if (!string.IsNullOrEmpty(username) && string.IsNullOrEmpty(password))
            yield return ("password", "is empty but a username is given: give the password too");
    }

    // Stands for a bound value in the design check: given, not known yet.
    private const string Bound = "{{ bound }}";

    /// <inheritdoc />
    public IEnumerable<(string Input, string Problem)> CheckDesign(IReadOnlyDictionary<string, JsonNode?> inputs)
    {
        // Only literals are checked here; a binding's value is known at run time, where the same checks run again.
        string? Literal(string name) =>
            inputs.GetValueOrDefault(name) is JsonValue v && BindingTemplate.IsLiteral(v) && v.TryGetValue<string>(out var s) ? s : null;
        int? LiteralInt(string name) =>
            inputs.GetValueOrDefault(name) is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
        bool Given(string name) => inputs.GetValueOrDefault(name) is not null;

        string? LiteralOrBound(string name) => Given(name) ? Literal(name) ?? Bound : null;
        foreach (var problem in Problems(Literal("host"), LiteralInt("port"), Given("tls") ? Literal("tls") ?? SmtpTls.Default : SmtpTls.Default,
                     LiteralOrBound("certificateSha256"), LiteralOrBound("username"), LiteralOrBound("password")))
            yield return problem;
        if (Literal("from") is { } from && EmailAddresses.Sender(from, out var fromProblem) is null) yield return ("from", fromProblem!);
        if (inputs.GetValueOrDefault("to") is JsonArray to && BindingTemplate.IsLiteral(to))
        {
            EmailAddresses.Recipients(to.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : null), out var toProblem);
            if (toProblem is not null) yield return ("to", toProblem);
        }
        else if (inputs.GetValueOrDefault("to") is JsonArray entries)
            foreach (var entry in entries.OfType<JsonValue>().Where(BindingTemplate.IsLiteral))
                if (entry.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
                {
                    EmailAddresses.Recipients([text], out var entryProblem);
                    if (entryProblem is not null) yield return ("to", entryProblem);
                }
    }

    private static string Command(SmtpCommandException e) => e.ErrorCode switch
    {
        SmtpErrorCode.RecipientNotAccepted => $"the recipient {e.Mailbox?.Address}",
        SmtpErrorCode.SenderNotAccepted => $"the sender {e.Mailbox?.Address}",
        SmtpErrorCode.MessageNotAccepted => "the message",
        _ => "a command",
    };

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
