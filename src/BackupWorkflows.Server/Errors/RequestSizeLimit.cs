namespace BackupWorkflows.Server.Errors;

/// <summary>
/// Refuses bodies larger than the configured limit with 413. Kestrel enforces the same limit for
/// bodies without a Content-Length; this check answers early and works on any server.
/// </summary>
internal sealed class RequestSizeLimit(RequestDelegate next, long maxBytes)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > maxBytes)
            throw new BadHttpRequestException(
                $"The request body is larger than the limit of {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        return next(context);
    }
}
