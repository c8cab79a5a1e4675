using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace BackupWorkflows.Server.Errors;

/// <summary>
/// Answers <c>/api</c> requests no endpoint took. Routing hands a request to the fallback also when its
/// path names an endpoint but the method or Content-Type does not fit, so this tells the cases apart:
/// 401 when the endpoint needs a key and none was valid, 405 with <c>Allow</c> for another method, 415
/// for a body that is not JSON, and 404 only when no endpoint has the path.
/// </summary>
internal static class ApiFallback
{
    /// <summary>Maps the fallback of the <c>/api</c> group.</summary>
    public static void MapApiFallback(this RouteGroupBuilder api) =>
        api.MapFallback(AnswerAsync).ExcludeFromDescription();

    private static async Task AnswerAsync(HttpContext context)
    {
        var endpoints = context.RequestServices.GetRequiredService<EndpointDataSource>();
        var path = context.Request.Path;
        var matching = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && Matches(context, e, path))
            .ToList();
        if (matching.Count == 0)
        {
            await WriteAsync(context, 404, "Not found", "No such API endpoint.");
            return;
        }
        if (matching.Any(e => e.Metadata.GetMetadata<IAuthorizeData>() is not null) && context.User.Identity?.IsAuthenticated != true)
        {
            await context.ChallengeAsync();
            return;
        }
        var allowed = matching.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods).Distinct().Order().ToList();
        if (!allowed.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            context.Response.Headers.Allow = string.Join(", ", allowed);
            await WriteAsync(context, 405, "Method not allowed", $"{path} answers {string.Join(", ", allowed)}, not {context.Request.Method}.");
            return;
        }
        var types = matching.SelectMany(e => e.Metadata.GetOrderedMetadata<IAcceptsMetadata>().SelectMany(a => a.ContentTypes)).Distinct().ToList();
        var given = context.Request.ContentType is { Length: > 0 } t ? $"'{t}'" : "none";
        await WriteAsync(context, 415, "Unsupported media type",
            $"The body must be sent as {(types.Count == 0 ? "application/json" : string.Join(" or ", types))} (Content-Type header); got {given}.");
    }

    private static bool Matches(HttpContext context, RouteEndpoint endpoint, PathString path)
    {
        if (endpoint.RoutePattern.RawText is not { } raw || raw.Contains("{*", StringComparison.Ordinal)) return false;
        var values = new RouteValueDictionary();
        if (!new TemplateMatcher(TemplateParser.Parse(raw.TrimStart('/')), new RouteValueDictionary()).TryMatch(path, values)) return false;
        // '/api/backups/not-a-guid' is not '/api/backups/{id:guid}': route constraints count.
        var resolver = context.RequestServices.GetRequiredService<IInlineConstraintResolver>();
        return endpoint.RoutePattern.Parameters.All(p => p.ParameterPolicies.All(policy =>
            policy.Content is not { } content || resolver.ResolveConstraint(content) is not { } constraint
            || constraint.Match(context, null, p.Name, values, RouteDirection.IncomingRequest)));
    }

    private static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        // HEAD answers carry no body.
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
