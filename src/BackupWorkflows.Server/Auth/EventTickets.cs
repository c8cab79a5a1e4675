using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace BackupWorkflows.Server.Auth;

/// <summary>
/// Short-lived, single-use tickets that open one event stream (<c>GET /api/events</c>) without an API key
/// in the URL: a browser's EventSource cannot send headers, so the studio asks for a ticket with its key
/// in the header and gets it back as an HttpOnly cookie scoped to <c>/api/events</c>.
/// </summary>
/// <remarks>
/// Tickets live in this process's memory (events are per node too) and are kept only as their SHA-256.
/// A ticket is valid for <see cref="Lifetime"/> and opens one stream; a reconnect asks for a new one.
/// </remarks>
public sealed class EventTickets(TimeProvider time)
{
    /// <summary>How long a ticket may wait before it opens its stream.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    /// <summary>The cookie that carries a ticket.</summary>
    public const string Cookie = "bwf_events_ticket";

    /// <summary>The only path a ticket authenticates.</summary>
    public const string StreamPath = "/api/events";

    private readonly ConcurrentDictionary<string, (string Name, string Role, DateTimeOffset ExpiresAt)> _tickets = new(StringComparer.Ordinal);

    /// <summary>A new ticket for the key named <paramref name="name"/> with <paramref name="role"/>, and when it expires.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(string name, string role)
    {
        var now = time.GetUtcNow();
        foreach (var (hash, entry) in _tickets)
            if (entry.ExpiresAt <= now) _tickets.TryRemove(hash, out _);
        var ticket = "bwft_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expiresAt = now + Lifetime;
        _tickets[ApiKeys.Hash(ticket)] = (name, role, expiresAt);
        return (ticket, expiresAt);
    }

    /// <summary>Uses up <paramref name="ticket"/>: the key name and role it was issued for, or null when it is
    /// unknown, used or expired.</summary>
    public (string Name, string Role)? Redeem(string ticket)
    {
        if (ticket.Length > 200 || !_tickets.TryRemove(ApiKeys.Hash(ticket), out var entry)) return null;
        return entry.ExpiresAt > time.GetUtcNow() ? (entry.Name, entry.Role) : null;
    }
}
