using MimeKit;

namespace BackupWorkflows.Engine.Activities.Notify;

/// <summary>
/// Reads the addresses of <see cref="EmailActivity"/>: a sender is one mailbox (<c>ops@example.com</c> or
/// <c>Backups &lt;ops@example.com&gt;</c>); recipients are a list whose entries are such addresses or several
/// separated by commas. An address needs a domain (<c>root</c> alone is refused: it would be the relay's guess).
/// </summary>
public static class EmailAddresses
{
    private static readonly ParserOptions Strict = new() { AllowAddressesWithoutDomain = false };

    /// <summary>The sender, or the problem with it.</summary>
    public static MailboxAddress? Sender(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) problem = "is empty: give the sender's address, e.g. backups@example.com";
        else if (MailboxAddress.TryParse(Strict, text.Trim(), out var mailbox) && HasDomain(mailbox)) return mailbox;
        else problem = $"'{text}' is not one email address (like backups@example.com or Backups <backups@example.com>)";
        return null;
    }

    /// <summary>The recipients (at least one) of a list whose entries are addresses or comma-separated lists, or the problem with them.</summary>
    public static IReadOnlyList<MailboxAddress> Recipients(IEnumerable<string?>? entries, out string? problem)
    {
        problem = null;
        var recipients = new List<MailboxAddress>();
        foreach (var text in entries ?? [])
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!InternetAddressList.TryParse(Strict, text, out var list) || list.Mailboxes.Any(m => !HasDomain(m)))
            {
                problem = $"'{text}' is not an email address or a comma-separated list of them";
                return [];
            }
            recipients.AddRange(list.Mailboxes);
        }
        if (recipients.Count == 0) problem = "has no address: give at least one recipient";
        return recipients;
    }

    // MimeKit accepts "a@" as a local part with an empty domain in some inputs; a relay cannot route it.
    private static bool HasDomain(MailboxAddress mailbox) =>
        mailbox.Address.IndexOf('@') is var at && at > 0 && at < mailbox.Address.Length - 1;
}
