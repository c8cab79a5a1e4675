using System.Text.Json.Nodes;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Schedules;

namespace BackupWorkflows.Server.Apis;

/// <summary>Backup schedules: listed by viewers, created and deleted by operators.</summary>
public static class SchedulesApi
{
    /// <summary>Maps <c>/api/schedules</c>.</summary>
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/schedules").WithTags("Schedules").RequireAuthorization(Roles.Viewer);
        schedules.MapGet("/", async (ScheduleService service, CancellationToken ct) => TypedResults.Ok((await service.ListAsync(ct)).Select(ScheduleDto.From)))
            .WithName("ListSchedules").WithSummary("Every schedule with its next firing.");
        schedules.MapPost("/", async (CreateScheduleRequest r, ScheduleService service, CancellationToken ct) =>
            {
                var view = await service.CreateAsync(r.Vm, r.Offering, r.Cron, r.TimeZone, r.Keep, ct, r.Workflow, r.Input);
                return TypedResults.Created($"/api/schedules/{view.Record.Id}", ScheduleDto.From(view));
            })
            .WithName("CreateSchedule").WithSummary("Schedules a workflow (by default the offering's backup) for a VM or an offering's VMs (cron, time zone, keep N, input).")
            .RequireAuthorization(Roles.Operator);
        schedules.MapDelete("/{id}", async (string id, ScheduleService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(id, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteSchedule").WithSummary("Deletes a schedule.").RequireAuthorization(Roles.Operator);
        return app;
    }
}

/// <summary>Body of POST /api/schedules: exactly one of vm and offering. <c>workflow</c> (optional) is started per VM instead
/// of the offering's backup workflow, with <c>input</c> (optional JSON object; <c>host</c> and <c>vm</c> are set by each
/// firing, <c>type</c> is <c>auto</c> unless given).</summary>
public sealed record CreateScheduleRequest(string? Vm, string? Offering, string? Cron, string? TimeZone, int? Keep,
    string? Workflow = null, JsonObject? Input = null);

/// <summary>A schedule as the API shows it; <c>workflow</c> null means the backup workflow of each VM's offering.</summary>
public sealed record ScheduleDto(string Id, string? Vm, string? Offering, string Cron, string QuartzCron, string TimeZone, int? Keep,
    DateTimeOffset? NextFireAt, string? Workflow, JsonObject? Input)
{
    /// <summary>Maps a view.</summary>
    public static ScheduleDto From(ScheduleView v) => new(v.Record.Id, v.Record.VmName, v.Record.OfferingName, v.Record.Cron,
        v.Record.QuartzCron, v.Record.TimeZone, v.Record.Keep, v.NextFireAt, v.Record.Workflow,
        v.Record.Input is null ? null : JsonNode.Parse(v.Record.Input)?.AsObject());
}
