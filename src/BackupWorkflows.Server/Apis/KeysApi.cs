using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Server.Apis;

/// <summary>API keys (admin only).</summary>
public static class KeysApi
{
    /// <summary>Maps <c>/api/keys</c>.</summary>
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/keys").WithTags("Keys").RequireAuthorization(Roles.Admin);
        keys.MapGet("/", ListAsync).WithName("ListKeys").WithSummary("Every key's name and role (never the key).");
        keys.MapPost("/", CreateAsync).WithName("CreateKey").WithSummary("Creates a key and returns it once.");
        keys.MapDelete("/{name}", RevokeAsync).WithName("RevokeKey").WithSummary("Revokes a key (not the last admin key).");
        return app;
    }

    private static async Task<Ok<IEnumerable<ApiKeyDto>>> ListAsync(ApiKeys keys, CancellationToken ct) =>
        TypedResults.Ok((await keys.ListAsync(ct)).Select(k => new ApiKeyDto(k.Name, k.Role, k.CreatedAt)));

    private static async Task<Created<CreatedKeyDto>> CreateAsync(CreateKeyRequest request, ApiKeys keys, CancellationToken ct)
    {
        new InputRules().Name("name", request.Name).OneOf("role", request.Role, Roles.All).ThrowIfAny();
        if ((await keys.ListAsync(ct)).Any(k => k.Name == request.Name))
            throw new ConflictException($"A key named '{request.Name}' exists; revoke it first or choose another name.");
        try
        {
            var key = await keys.CreateAsync(request.Name!, request.Role!, ct);
            return TypedResults.Created($"/api/keys/{request.Name}", new CreatedKeyDto(request.Name!, request.Role!, key));
        }
        catch (DbUpdateException)
        {
            throw new ConflictException($"A key named '{request.Name}' exists.");
        }
    }

    private static async Task<NoContent> RevokeAsync(string name, ApiKeys keys, CancellationToken ct)
    {
        var all = await keys.ListAsync(ct);
        var key = all.FirstOrDefault(k => k.Name == name) ?? throw new NotFoundException($"No key named '{name}'.");
        if (key.Role == Roles.Admin && all.Count(k => k.Role == Roles.Admin) == 1)
            throw new ConflictException("This is the last admin key; create another admin key before revoking it.");
        await keys.RevokeAsync(name, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>A key without its secret.</summary>
public sealed record ApiKeyDto(string Name, string Role, DateTimeOffset CreatedAt);

/// <summary>Body of POST /api/keys.</summary>
public sealed record CreateKeyRequest(string? Name, string? Role);

/// <summary>A new key, with its secret (shown once).</summary>
public sealed record CreatedKeyDto(string Name, string Role, string Key);
