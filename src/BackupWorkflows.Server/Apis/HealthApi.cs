using System.Security.Claims;
using BackupWorkflows.Server.Auth;

namespace BackupWorkflows.Server.Apis;

/// <summary>Health (anonymous) and the caller's identity.</summary>
public static class HealthApi
{
    /// <summary>Maps <c>GET /api/health</c>.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthResponse("ok")))
            .WithName("GetHealth").WithSummary("Liveness: ok when the server answers.").WithTags("Health").AllowAnonymous();
        return app;
    }

    /// <summary>Maps <c>GET /api/me</c>.</summary>
    public static IEndpointRouteBuilder MapIdentityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(
                new IdentityResponse(user.FindFirstValue(ClaimTypes.Name) ?? "", user.FindFirstValue(ClaimTypes.Role) ?? "")))
            .WithName("GetMe").WithSummary("The name and role of the API key used.").WithTags("Identity")
            .RequireAuthorization(Roles.Viewer);
        return app;
    }
}

/// <summary>Health status.</summary>
public sealed record HealthResponse(string Status);

/// <summary>Who the caller is.</summary>
public sealed record IdentityResponse(string Name, string Role);
