using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Validation;
using BackupWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>Offerings (backup policies): listed by viewers, created and deleted by admins.</summary>
public static class OfferingsApi
{
    /// <summary>Maps <c>/api/offerings</c>.</summary>
    public static IEndpointRouteBuilder MapOfferingsApi(this IEndpointRouteBuilder app)
    {
        var offerings = app.MapGroup("/offerings").WithTags("Offerings").RequireAuthorization(Roles.Viewer);
        offerings.MapGet("/", ListAsync).WithName("ListOfferings").WithSummary("Every offering.");
        offerings.MapPost("/", CreateAsync).WithName("CreateOffering").WithSummary("Creates an offering.")
            .RequireAuthorization(Roles.Admin);
        offerings.MapDelete("/{name}", DeleteAsync).WithName("DeleteOffering").WithSummary("Deletes an offering no VM or schedule uses.")
            .RequireAuthorization(Roles.Admin);
        return app;
    }

    private static async Task<Ok<IEnumerable<OfferingDto>>> ListAsync(OfferingRegistry registry, CancellationToken ct) =>
        TypedResults.Ok((await registry.ListAsync(ct)).Select(ToDto));

    private static async Task<Created<OfferingDto>> CreateAsync(CreateOfferingRequest request, OfferingRegistry registry, EntryWorkflows entries,
        CancellationToken ct)
    {
        var rules = new InputRules().Name("name", request.Name).Range("chainSize", request.ChainSize, 0, 1000)
            .OneOf("compressionLibrary", request.CompressionLibrary, OfferingRegistry.CompressionLibraries, required: false)
            .OneOf("quiesce", request.Quiesce, QuiescePolicies.Names, required: false)
            .OneOf("strategy", request.Strategy, BackupStrategies.Names, required: false);
        await entries.CheckAsync(rules, "backupWorkflow", request.BackupWorkflow, ct);
        await entries.CheckAsync(rules, "restoreWorkflow", request.RestoreWorkflow, ct);
        await entries.CheckAsync(rules, "quickRestoreWorkflow", request.QuickRestoreWorkflow, ct);
        rules.ThrowIfAny();
        var offering = await registry.CreateAsync(new Offering
        {
            Name = request.Name!,
            ChainSize = request.ChainSize ?? Offering.DefaultChainSize,
            Compress = request.Compress ?? false,
            CompressionLibrary = request.CompressionLibrary ?? "zstd",
            Validate = request.Validate ?? false,
            AllowQuickRestore = request.AllowQuickRestore ?? false,
            AllowFileExtraction = request.AllowFileExtraction ?? false,
            Quiesce = request.Quiesce is null ? QuiescePolicy.Prefer : QuiescePolicies.Parse(request.Quiesce),
            Strategy = request.Strategy is null ? BackupStrategy.Delta : BackupStrategies.Parse(request.Strategy),
            BackupWorkflow = request.BackupWorkflow ?? ShippedWorkflows.Backup,
            RestoreWorkflow = request.RestoreWorkflow ?? ShippedWorkflows.Restore,
            QuickRestoreWorkflow = request.QuickRestoreWorkflow ?? ShippedWorkflows.QuickRestore,
        }, ct);
        return TypedResults.Created($"/api/offerings/{offering.Name}", ToDto(offering));
    }

    private static async Task<NoContent> DeleteAsync(string name, OfferingRegistry registry, CancellationToken ct)
    {
        await registry.DeleteAsync(name, ct);
        return TypedResults.NoContent();
    }

    private static OfferingDto ToDto(Offering o) => new(o.Name, o.ChainSize, o.Compress, o.CompressionLibrary, o.Validate,
        o.AllowQuickRestore, o.AllowFileExtraction, QuiescePolicies.NameOf(o.Quiesce), BackupStrategies.NameOf(o.Strategy),
        o.BackupWorkflow, o.RestoreWorkflow, o.QuickRestoreWorkflow);
}

/// <summary>An offering as the API shows it; <c>quiesce</c> is require, prefer or skip; <c>strategy</c> delta or bitmap;
/// the workflows its backups, restores and quick restores start.</summary>
public sealed record OfferingDto(string Name, int ChainSize, bool Compress, string CompressionLibrary, bool Validate,
    bool AllowQuickRestore, bool AllowFileExtraction, string Quiesce, string Strategy,
    string BackupWorkflow, string RestoreWorkflow, string QuickRestoreWorkflow);

/// <summary>Body of POST /api/offerings; omitted fields take their defaults (<c>quiesce</c>: prefer, <c>strategy</c>: delta,
/// workflows: the shipped <c>backup</c>, <c>restore</c> and <c>quick-restore</c>); a named workflow must exist.</summary>
public sealed record CreateOfferingRequest(string? Name, int? ChainSize, bool? Compress, string? CompressionLibrary,
    bool? Validate, bool? AllowQuickRestore, bool? AllowFileExtraction, string? Quiesce, string? Strategy,
    string? BackupWorkflow = null, string? RestoreWorkflow = null, string? QuickRestoreWorkflow = null);
