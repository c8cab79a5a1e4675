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
                var view = await service.CreateAsync(r.Vm, r.Offering, r.Cron, r.TimeZone, r.Keep, ct);
                return TypedResults.Created($"/api/schedules/{view.Record.Id}", ScheduleDto.From(view));
            })
            .WithName("CreateSchedule").WithSummary("Schedules backups of a VM or of an offering's VMs (cron, time zone, keep N).")
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

/// <summary>Body of POST /api/schedules: exactly one of vm and offering.</summary>
public sealed record CreateScheduleRequest(string? Vm, string? Offering, string? Cron, string? TimeZone, int? Keep);

/// <summary>A schedule as the API shows it.</summary>
public sealed record ScheduleDto(string Id, string? Vm, string? Offering, string Cron, string QuartzCron, string TimeZone, int? Keep,
    DateTimeOffset? NextFireAt)
{
    /// <summary>Maps a view.</summary>
    public static ScheduleDto From(ScheduleView v) => new(v.Record.Id, v.Record.VmName, v.Record.OfferingName, v.Record.Cron,
        v.Record.QuartzCron, v.Record.TimeZone, v.Record.Keep, v.NextFireAt);
}
