using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Settings;
using BackupWorkflows.Engine.Definitions;
using BackupWorkflows.Engine.Runtime;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BackupWorkflows.Server.Errors;

/// <summary>
/// Turns exceptions into RFC 7807 problem details. Known errors keep their message; anything
/// else becomes a 500 with a generic text, logged here, so no stack trace reaches a client.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem.Status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context, ProblemDetails = problem, Exception = exception,
        });
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        InputException e => new HttpValidationProblemDetails(e.Errors) { Status = e.Status, Title = e.Title, Detail = e.Message },
        ApiException e => new ProblemDetails { Status = e.Status, Title = e.Title, Detail = e.Message },
        DomainNotFoundException e => new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message },
        BackupNotFoundException e => new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message },
        DomainConflictException e => new ProblemDetails { Status = 409, Title = "Conflict", Detail = e.Message },
        Backup.GuestFiles.BrowseInputException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field] = [e.Problem] })
            { Status = 400, Title = "Invalid input", Detail = e.Message },
        Backup.GuestFiles.FileExtractionForbiddenException e => new ProblemDetails { Status = 403, Title = "File extraction not allowed", Detail = e.Message },
        SettingException { Unknown: true } e => new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message },
        SettingException e => new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["value"] = [e.Message] })
            { Status = 400, Title = "Invalid input", Detail = $"value: {e.Message}" },
        WorkflowValidationException e => WithProblems(new ProblemDetails
        {
            Status = 400, Title = "Invalid workflow definition", Detail = $"{e.Problems.Count} problem(s) found; nothing was saved.",
        }, e.Problems),
        WorkflowFormatException e => new HttpValidationProblemDetails(new Dictionary<string, string[]>
            { [e.InnerException is System.Text.Json.JsonException j ? JsonErrorText.Field(j) : "body"] = [e.Message] })
            { Status = 400, Title = "Invalid workflow JSON", Detail = e.Message },
        WorkflowInputException e => new HttpValidationProblemDetails(e.ByInput.ToDictionary(p => $"input.{p.Key}", p => p.Value))
            { Status = 400, Title = "Invalid workflow input", Detail = e.Message },
        WorkflowDefinitionNotFoundException e => new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message },
        WorkflowInstanceNotFoundException e => new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message },
        WorkflowNotPublishedException e => new ProblemDetails { Status = 409, Title = "Workflow not published", Detail = e.Message },
        WorkflowIdempotencyConflictException e => new HttpValidationProblemDetails(new Dictionary<string, string[]>
            { ["Idempotency-Key"] = [$"already started instance {e.InstanceId} with another request; repeat that request to get its answer, or use a new key."] })
            { Status = 422, Title = "Idempotency key reused", Detail = $"Idempotency-Key: already started instance {e.InstanceId} with another request." },
        WorkflowInstanceStateException e => new ProblemDetails { Status = 409, Title = "Conflict", Detail = e.Message },
        WorkflowEngineException e => new ProblemDetails { Status = 409, Title = "Conflict", Detail = e.Message },
        BadHttpRequestException e => RequestReadProblem.From(e),
        _ => new ProblemDetails { Status = 500, Title = "Internal error", Detail = "The server failed to handle the request; see its log." },
    };

    private static ProblemDetails WithProblems(ProblemDetails details, IReadOnlyList<ValidationProblem> problems)
    {
        details.Extensions["problems"] = problems.Select(p => new { p.ActivityId, p.Path, p.Message }).ToList();
        return details;
    }
}
