using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Server.Auth;

namespace BackupWorkflows.Server.Apis;

/// <summary>Settings (the one catalog, <see cref="SettingCatalog"/>): read by viewers, changed by admins.</summary>
public static class SettingsApi
{
    /// <summary>Maps <c>/api/settings</c>.</summary>
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/settings").WithTags("Settings").RequireAuthorization(Roles.Viewer);
        settings.MapGet("/", async (BackupSettings catalog, CancellationToken ct) => TypedResults.Ok((await catalog.ListAsync(ct)).Select(ToDto)))
            .WithName("ListSettings").WithSummary("Every setting with its value, default, kind, allowed range and meaning.");
        settings.MapPut("/{name}", async (string name, SetSettingRequest request, BackupSettings catalog, CancellationToken ct) =>
                TypedResults.Ok(ToDto(await catalog.SetAsync(name, request.Value, ct))))
            .WithName("SetSetting").WithSummary("Changes a setting; a value outside its kind or range is refused with 400.")
            .RequireAuthorization(Roles.Admin);
        return app;
    }

    private static SettingDto ToDto(SettingValue s)
    {
        var d = s.Definition;
        var numeric = d.Kind is SettingKind.Integer or SettingKind.Number or SettingKind.Duration;
        return new(d.Name, s.Value, d.Default, d.Kind.ToString().ToLowerInvariant(), d.Allowed, d.Description,
            numeric ? d.Minimum : null, numeric ? d.Maximum : null, d.Kind == SettingKind.Choice ? d.Choices : null);
    }
}

/// <summary>A setting: its value now, its default, its kind (boolean, integer, number, duration, choice), the values it
/// allows in words and, for forms, as a range (numeric kinds) or a list (choice), and what it changes.</summary>
public sealed record SettingDto(string Name, string Value, string Default, string Kind, string Allowed, string Description,
    double? Minimum = null, double? Maximum = null, IReadOnlyList<string>? Choices = null);

/// <summary>Body of PUT /api/settings/{name}.</summary>
public sealed record SetSettingRequest(string? Value);
