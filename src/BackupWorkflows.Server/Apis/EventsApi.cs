using System.Security.Claims;
using System.Text.Json;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Server.Auth;

namespace BackupWorkflows.Server.Apis;

/// <summary>Live updates of instances as server-sent events.</summary>
/// <remarks>Events are in-process: a client sees the instances executing on the node it is connected to.</remarks>
public static class EventsApi
{
    /// <summary>Maps <c>GET /api/events</c> and <c>POST /api/events/tickets</c>.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events", StreamAsync)
            .WithTags("Instances").WithName("StreamEvents")
            .WithSummary("Server-sent events of instances (all, or one with ?instanceId=); X-Api-Key or an event ticket cookie.")
            .Produces<EventDto>(StatusCodes.Status200OK, "text/event-stream")
            .RequireAuthorization(Roles.Viewer);
        app.MapPost("/events/tickets", IssueTicket)
            .WithTags("Instances").WithName("IssueEventTicket")
            .WithSummary("A single-use ticket (HttpOnly cookie, 60 s) that opens one event stream, for EventSource which cannot send headers.")
            .RequireAuthorization(Roles.Viewer);
        return app;
    }

    /// <remarks>The ticket goes out only as a cookie: never in a body a script could read, never in a URL.</remarks>
    private static EventTicketDto IssueTicket(EventTickets tickets, HttpContext http)
    {
        var (ticket, expiresAt) = tickets.Issue(
            http.User.FindFirstValue(ClaimTypes.Name) ?? "", http.User.FindFirstValue(ClaimTypes.Role) ?? "");
        http.Response.Cookies.Append(EventTickets.Cookie, ticket, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = EventTickets.StreamPath,
            MaxAge = EventTickets.Lifetime,
        });
        return new EventTicketDto(expiresAt);
    }

    /// <remarks>
    /// Written by hand rather than with <c>TypedResults.ServerSentEvents</c> so that the headers and
    /// a first comment go out at once (clients see the stream is open before any event) and a
    /// comment every 15 s keeps proxies from closing an idle stream.
    /// </remarks>
    private static async Task StreamAsync(string? instanceId, IWorkflowEvents events, HttpContext http, CancellationToken ct)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);

        var channel = System.Threading.Channels.Channel.CreateBounded<WorkflowEvent>(
            new System.Threading.Channels.BoundedChannelOptions(1000) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest });
        using var subscription = events.Subscribe(e =>
        {
            if (instanceId is null || e.InstanceId == instanceId) channel.Writer.TryWrite(e);
        });
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    var e = await channel.Reader.ReadAsync(heartbeat.Token);
                    await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(EventDto.From(e), Json) + "\n\n", ct);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                }
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) { /* client went away */ }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>One event as the studio and the CLI read it. An activity that suspends is <c>suspended</c> (a durable timer) or
/// <c>retrying</c> (a failed attempt waits for its durable retry; <paramref name="Message"/> is its error) until
/// <paramref name="ResumeAt"/>, as in the instance's answer.</summary>
public sealed record EventDto(string Kind, string InstanceId, string? ActivityId, string? Status, EventProgressDto? Progress,
    string? Message, DateTimeOffset At, DateTimeOffset? ResumeAt = null)
{
    /// <summary>Maps an engine event.</summary>
    public static EventDto From(WorkflowEvent e) => e.Kind switch
    {
        WorkflowEventKind.InstanceStatusChanged => new("instance", e.InstanceId, null, e.Status?.ToString(), null, e.Message, e.Timestamp),
        WorkflowEventKind.Progress => new("progress", e.InstanceId, e.ActivityId, "running",
            new EventProgressDto(e.Done ?? 0, e.Total ?? 0, e.Message), e.Message, e.Timestamp),
        WorkflowEventKind.ActivityStarted => new("activity", e.InstanceId, e.ActivityId, "running", null, null, e.Timestamp),
        WorkflowEventKind.ActivityCompleted => new("activity", e.InstanceId, e.ActivityId, "done", null, null, e.Timestamp),
        WorkflowEventKind.ActivitySuspended => new("activity", e.InstanceId, e.ActivityId, e.Message is null ? "suspended" : "retrying",
            null, e.Message, e.Timestamp, e.ResumeAt),
        _ => new("activity", e.InstanceId, e.ActivityId, "failed", null, e.Message, e.Timestamp),
    };
}

/// <summary>When an event ticket (sent as a cookie) expires.</summary>
public sealed record EventTicketDto(DateTimeOffset ExpiresAt);

/// <summary>Progress carried by an event.</summary>
public sealed record EventProgressDto(long Done, long Total, string? Message);
