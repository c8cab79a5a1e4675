using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Backup repositories: listed by viewers, added and removed by admins.</summary>
public static class RepositoriesApi
{
    /// <summary>Maps <c>/api/repositories</c>.</summary>
    public static IEndpointRouteBuilder MapRepositoriesApi(this IEndpointRouteBuilder app)
    {
        var repos = app.MapGroup("/repositories").WithTags("Repositories").RequireAuthorization(Roles.Viewer);
        repos.MapGet("/", ListAsync).WithName("ListRepositories").WithSummary("Every repository with the bytes its backups use.");
        repos.MapPost("/", AddAsync).WithName("AddRepository").WithSummary("Adds a repository (an absolute directory every host sees).")
            .RequireAuthorization(Roles.Admin);
        repos.MapDelete("/{name}", RemoveAsync).WithName("RemoveRepository").WithSummary("Removes a repository holding no backups.")
            .RequireAuthorization(Roles.Admin);
        return app;
    }

    private static async Task<Ok<IEnumerable<RepositoryDto>>> ListAsync(RepositoryRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAsync(ct)).Select(r =>
            new RepositoryDto(r.Repository.Name, r.Repository.Path, r.Repository.CapacityBytes, r.UsedBytes)));

    private static async Task<Created<RepositoryDto>> AddAsync(AddRepositoryRequest request, RepositoryRegistry registry, CancellationToken ct)
    {
        new InputRules().Name("name", request.Name).Directory("path", request.Path)
            .Range("capacityBytes", request.CapacityBytes, 0, long.MaxValue).ThrowIfAny();
        var repo = await registry.AddAsync(request.Name!, request.Path!, request.CapacityBytes, ct);
        return TypedResults.Created($"/api/repositories/{repo.Name}", new RepositoryDto(repo.Name, repo.Path, repo.CapacityBytes, 0));
    }

    private static async Task<NoContent> RemoveAsync(string name, RepositoryRegistry registry, CancellationToken ct)
    {
        await registry.RemoveAsync(name, ct);
        return TypedResults.NoContent();
    }
}

/// <summary>A repository as the API shows it.</summary>
public sealed record RepositoryDto(string Name, string Path, long CapacityBytes, long UsedBytes);

/// <summary>Body of POST /api/repositories.</summary>
public sealed record AddRepositoryRequest(string? Name, string? Path, long? CapacityBytes);
