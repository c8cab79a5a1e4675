using Microsoft.AspNetCore.Authentication;

namespace BackupWorkflows.Server.Auth;

/// <summary>Registers API-key authentication and one policy per role.</summary>
public static class AuthSetup
{
    /// <summary>Adds the scheme, the <see cref="ApiKeys"/> service and the policies named after <see cref="Roles"/>.</summary>
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddScoped<ApiKeys>();
        services.AddSingleton<EventTickets>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireAuthenticatedUser().RequireAssertion(c => Roles.Has(c.User, Roles.Viewer)))
            .AddPolicy(Roles.Operator, p => p.RequireAuthenticatedUser().RequireAssertion(c => Roles.Has(c.User, Roles.Operator)))
            .AddPolicy(Roles.Admin, p => p.RequireAuthenticatedUser().RequireAssertion(c => Roles.Has(c.User, Roles.Admin)));
        return services;
    }
}
