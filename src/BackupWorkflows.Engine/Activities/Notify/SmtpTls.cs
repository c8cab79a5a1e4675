using MailKit.Security;

namespace BackupWorkflows.Engine.Activities.Notify;

/// <summary>
/// The TLS modes of <see cref="EmailActivity"/>: <c>starttls</c> (the default), <c>tls</c> (implicit TLS) and
/// <c>none</c>, with the port each uses when the definition gives none.
/// </summary>
/// <remarks>
/// <c>starttls</c> is MailKit's <see cref="SecureSocketOptions.StartTls"/>, which fails when the server does not offer
/// STARTTLS, rather than <see cref="SecureSocketOptions.StartTlsWhenAvailable"/>, which an attacker on the path can
/// downgrade to clear text by hiding the offer: a configured TLS mode is a requirement, never a wish.
/// </remarks>
public static class SmtpTls
{
    /// <summary>The mode used when the definition gives none.</summary>
    public const string Default = StartTls;

    /// <summary>Plain SMTP, upgraded with STARTTLS before anything else is sent; port 587 (submission).</summary>
    public const string StartTls = "starttls";

    /// <summary>TLS from the first byte (SMTPS, RFC 8314); port 465.</summary>
    public const string Implicit = "tls";

    /// <summary>No encryption (a relay on the same host or a trusted network); port 25.</summary>
    public const string None = "none";

    /// <summary>Every mode, in the order the studio lists them.</summary>
    public static readonly IReadOnlyList<string> Modes = [StartTls, Implicit, None];

    /// <summary>The mode's MailKit option, or null for a name that is not a mode (case-insensitive).</summary>
    public static SecureSocketOptions? Options(string? mode) => mode?.Trim().ToLowerInvariant() switch
    {
        StartTls => SecureSocketOptions.StartTls,
        Implicit => SecureSocketOptions.SslOnConnect,
        None => SecureSocketOptions.None,
        _ => null,
    };

    /// <summary>The port of a mode when the definition gives none: 587, 465 or 25.</summary>
    public static int DefaultPort(SecureSocketOptions options) => options switch
    {
        SecureSocketOptions.SslOnConnect => 465,
        SecureSocketOptions.None => 25,
        _ => 587,
    };

    /// <summary>A SHA-256 fingerprint as upper-case hex without separators (as <c>Convert.ToHexString</c> writes it), or null
    /// when the text is empty or not 64 hex digits; colons and spaces (openssl's <c>AB:CD:…</c>) are ignored.</summary>
    public static string? Fingerprint(string? text)
    {
        var hex = new string((text ?? "").Where(c => c is not (':' or ' ')).ToArray()).ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>The problem with a mode name, or null when it is one.</summary>
    public static string? Problem(string? mode) =>
        Options(mode) is null ? $"'{mode}' is not a TLS mode: use {string.Join(", ", Modes)}" : null;
}
