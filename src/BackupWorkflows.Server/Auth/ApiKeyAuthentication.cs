using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BackupWorkflows.Server.Auth;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header (or <c>Authorization: Bearer KEY</c>, as scrapers
/// send it), or <c>GET /api/events</c> by an event ticket
/// (<see cref="EventTickets"/>, an HttpOnly cookie: EventSource cannot send headers). Keys are never
/// taken from the URL, where request logs and browser histories would keep them.
/// Answers 401 and 403 as problem details.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeys keys, EventTickets tickets, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The request header.</summary>
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[Header];
        // Scrapers such as Prometheus send credentials as a bearer token.
        if (string.IsNullOrEmpty(key) && Request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            key = authorization["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(key)) return RedeemEventTicket();
        if (key.Length > 200) return AuthenticateResult.Fail("The API key is not valid.");

        var record = await keys.FindAsync(key, Context.RequestAborted);
        if (record is null) return AuthenticateResult.Fail("The API key is not valid.");
        return Success(record.Name, record.Role);
    }

    /// <summary>The event stream's ticket cookie, used up here (it opens one stream) and cleared in the answer.</summary>
    private AuthenticateResult RedeemEventTicket()
    {
        if (!HttpMethods.IsGet(Request.Method) || Request.Path != EventTickets.StreamPath
            || Request.Cookies[EventTickets.Cookie] is not { Length: > 0 } ticket)
            return AuthenticateResult.NoResult();
        Response.Cookies.Delete(EventTickets.Cookie, new CookieOptions { Path = EventTickets.StreamPath });
        return tickets.Redeem(ticket) is { } owner
            ? Success(owner.Name, owner.Role)
            : AuthenticateResult.Fail("The event ticket is not valid (unknown, used or expired).");
    }

    private static AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var detail = result.Failure is not null
            ? (Request.Headers.ContainsKey(Header) || Request.Headers.ContainsKey("Authorization") ? "The API key is not valid (unknown or revoked)." : result.Failure.Message + " Ask for a new one: POST /api/events/tickets.")
            : $"Send an API key in the {Header} header (bwf: --api-key or BWF_API_KEY).";
        await WriteAsync("Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        await WriteAsync("Forbidden", $"This needs a higher role than '{role}' (viewer < operator < admin).");
    }

    private ValueTask WriteAsync(string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Title = title, Detail = detail, Status = Response.StatusCode },
        });
}
