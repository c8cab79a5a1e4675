using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BackupWorkflows.Server.Auth;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header, or by <c>?apiKey=</c> on the events
/// stream only (EventSource cannot send headers). Answers 401 and 403 as problem details.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeys keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The request header.</summary>
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[Header];
        if (string.IsNullOrEmpty(key) && Request.Path.StartsWithSegments("/api/events"))
            key = Request.Query["apiKey"];
        if (string.IsNullOrEmpty(key)) return AuthenticateResult.NoResult();
        if (key.Length > 200) return AuthenticateResult.Fail("The API key is not valid.");

        var record = await keys.FindAsync(key, Context.RequestAborted);
        if (record is null) return AuthenticateResult.Fail("The API key is not valid.");

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var detail = result.Failure is not null
            ? "The API key is not valid (unknown or revoked)."
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
