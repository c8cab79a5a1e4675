using BackupWorkflows.Server.Auth;
using BackupWorkflows.Testing;

namespace BackupWorkflows.Server.Tests.Auth;

public sealed class EventTicketsTests
{
    [Fact]
    public void Redeem_KnowsTheKeyItWasIssuedFor_Once()
    {
        var tickets = new EventTickets(new ManualTimeProvider(DateTimeOffset.UtcNow));
        var (ticket, _) = tickets.Issue("ops", Roles.Operator);
        Assert.Equal(("ops", Roles.Operator), tickets.Redeem(ticket));
        Assert.Null(tickets.Redeem(ticket));
        Assert.Null(tickets.Redeem("bwft_never-issued"));
    }

    [Fact]
    public void Redeem_AfterTheLifetime_IsRefused()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var tickets = new EventTickets(clock);
        var (fresh, expiresAt) = tickets.Issue("viewer", Roles.Viewer);
        var (stale, _) = tickets.Issue("viewer", Roles.Viewer);
        Assert.Equal(clock.GetUtcNow() + EventTickets.Lifetime, expiresAt);
        clock.Advance(EventTickets.Lifetime - TimeSpan.FromSeconds(1));
        Assert.NotNull(tickets.Redeem(fresh));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(tickets.Redeem(stale));
    }
}
