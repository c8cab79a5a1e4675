using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Persistence;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using Microsoft.EntityFrameworkCore;

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

    private static async Task<IResult> ListAsync(BackupDbContext db, CancellationToken ct)
    {
        var repos = await db.Repositories.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        var used = await UsedBytesAsync(db, ct);
        return TypedResults.Ok(repos.Select(r => new RepositoryDto(r.Name, r.Path, r.CapacityBytes, used.GetValueOrDefault(r.Name))));
    }

    private static async Task<IResult> AddAsync(AddRepositoryRequest request, BackupDbContext db, TimeProvider time, CancellationToken ct)
    {
        new InputRules().Name("name", request.Name).Directory("path", request.Path)
            .Range("capacityBytes", request.CapacityBytes, 0, long.MaxValue).ThrowIfAny();
        if (await db.Repositories.AnyAsync(r => r.Name == request.Name, ct))
            throw new ConflictException($"A repository named '{request.Name}' exists.");
        var repo = new RepositoryRecord
        {
            Name = request.Name!, Path = request.Path!.TrimEnd('/') is { Length: > 0 } p ? p : "/",
            CapacityBytes = request.CapacityBytes ?? 0, CreatedAt = time.GetUtcNow(),
        };
        db.Repositories.Add(repo);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/repositories/{repo.Name}", new RepositoryDto(repo.Name, repo.Path, repo.CapacityBytes, 0));
    }

    private static async Task<IResult> RemoveAsync(string name, BackupDbContext db, CancellationToken ct)
    {
        var repo = await db.Repositories.FirstOrDefaultAsync(r => r.Name == name, ct) ?? throw new NotFoundException($"No repository named '{name}'.");
        if (await db.Assignments.AnyAsync(a => a.RepositoryName == name, ct))
            throw new ConflictException($"Repository '{name}' is used by VM assignments; unassign those VMs first.");
        if (await db.Backups.AnyAsync(b => b.RepositoryName == name && b.State != BackupState.Expunged, ct))
            throw new ConflictException($"Repository '{name}' still holds backups; delete them first.");
        db.Repositories.Remove(repo);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Dictionary<string, long>> UsedBytesAsync(BackupDbContext db, CancellationToken ct)
    {
        var rows = await db.Backups.AsNoTracking().Where(b => b.State != BackupState.Expunged)
            .Select(b => new { b.RepositoryName, b.StoredSize }).ToListAsync(ct);
        return rows.GroupBy(r => r.RepositoryName).ToDictionary(g => g.Key, g => g.Sum(r => r.StoredSize));
    }
}

/// <summary>A repository as the API shows it.</summary>
public sealed record RepositoryDto(string Name, string Path, long CapacityBytes, long UsedBytes);

/// <summary>Body of POST /api/repositories.</summary>
public sealed record AddRepositoryRequest(string? Name, string? Path, long? CapacityBytes);
