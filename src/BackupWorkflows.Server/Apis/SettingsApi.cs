using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Jobs;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Settings;

namespace BackupWorkflows.Server.Apis;

/// <summary>Server settings: read by viewers, changed by admins.</summary>
public static class SettingsApi
{
    /// <summary>Maps <c>/api/settings</c>.</summary>
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/settings").WithTags("Settings").RequireAuthorization(Roles.Viewer);
        settings.MapGet("/", async (SettingCatalog catalog, BackupSettings backupSettings, CancellationToken ct) =>
                TypedResults.Ok((await catalog.ListAsync(ct)).Select(s => new SettingDto(s.Definition.Name, s.Value, s.Definition.Default, s.Definition.Description))
                    .Concat((await backupSettings.ListAsync(ct)).Select(s => new SettingDto(s.Name, s.Value, s.Default, s.Description)))))
            .WithName("ListSettings").WithSummary("Every setting (server, compression, validation) with its value, default and meaning.");
        settings.MapPut("/{name}", async (string name, SetSettingRequest request, SettingCatalog catalog, BackupSettings backupSettings, CancellationToken ct) =>
            {
                // Compression and validation settings belong to the backup domain, which reads them at each use.
                if (SettingCatalog.Definitions.All(d => d.Name != name) && (await backupSettings.ListAsync(ct)).Any(s => s.Name == name))
                {
                    try
                    {
                        var changed = await backupSettings.SetAsync(name, request.Value ?? "", ct);
                        return TypedResults.Ok(new SettingDto(changed.Name, changed.Value, changed.Default, changed.Description));
                    }
                    catch (BackupInputException e)
                    {
                        throw new InputException("value", e.Message);
                    }
                }
                await catalog.SetAsync(name, request.Value, ct);
                var definition = SettingCatalog.Definitions.First(d => d.Name == name);
                return TypedResults.Ok(new SettingDto(name, request.Value!, definition.Default, definition.Description));
            })
            .WithName("SetSetting").WithSummary("Changes a setting (checked against its rule).").RequireAuthorization(Roles.Admin);
        return app;
    }
}

/// <summary>A setting.</summary>
public sealed record SettingDto(string Name, string Value, string Default, string Description);

/// <summary>Body of PUT /api/settings/{name}.</summary>
public sealed record SetSettingRequest(string? Value);
