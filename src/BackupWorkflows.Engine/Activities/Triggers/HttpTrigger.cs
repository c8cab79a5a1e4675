using System.Text.RegularExpressions;

namespace BackupWorkflows.Engine.Activities.Triggers;

/// <summary>
/// Starts the workflow when a request reaches <c>/api/hooks/{path}</c> with <see cref="Method"/>. The JSON
/// body (or, without a body, the query string) is the workflow's input, validated against its declared inputs.
/// </summary>
[Activity(TypeName, Category = "Triggers", DisplayName = "HTTP hook",
    Description = "Starts the workflow on a request to /api/hooks/{path}; the JSON body or query is its input.")]
public sealed partial class HttpTrigger : TriggerActivity
{
    /// <summary>Stable type name.</summary>
    public const string TypeName = "Trigger.Http";

    /// <summary>Roles a caller may need, lowest first.</summary>
    public static readonly IReadOnlyList<string> Roles = ["viewer", "operator", "admin"];

    /// <summary>Methods a hook may answer.</summary>
    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Path under <c>/api/hooks/</c>, e.g. <c>orders/new</c>.</summary>
    [Input(Description = "Path under /api/hooks/, e.g. backups/nightly (letters, digits, '-', '_', '.', '/').", Required = true)]
    public string Path { get; set; } = "";

    /// <summary>HTTP method.</summary>
    [Input(Description = "HTTP method: GET, POST, PUT, PATCH or DELETE.", UIHint = "dropdown", Default = "POST")]
    public string Method { get; set; } = "POST";

    /// <summary>Lowest role of the caller's API key.</summary>
    [Input(Description = "Lowest role of the caller's API key: viewer, operator or admin.", UIHint = "dropdown", Default = "operator")]
    public string Role { get; set; } = "operator";

    /// <summary>Seconds to wait for the workflow to finish and answer its output (0: answer 202 at once).</summary>
    [Input(Description = "Seconds to wait for the workflow's output (0 answers 202 at once; at most 300).", Default = 0)]
    public int WaitSeconds { get; set; }

    /// <summary>The path as indexed: trimmed of slashes, lower case.</summary>
    public static string NormalizePath(string path) => path.Trim().Trim('/').ToLowerInvariant();

    /// <inheritdoc />
    public override string? UniqueKey => $"{Method.ToUpperInvariant()} {NormalizePath(Path)}";

    /// <inheritdoc />
    public override IEnumerable<(string Input, string Problem)> CheckSettings()
    {
        var path = NormalizePath(Path ?? "");
        if (path.Length > 200 || !PathPattern().IsMatch(path) || path.Split('/').Any(s => s is "." or ".."))
            yield return ("path", "must be 1-200 characters of letters, digits, '-', '_', '.' and '/', without '.' or '..' segments (the part after /api/hooks/)");
        if (!Methods.Contains(Method?.ToUpperInvariant()))
            yield return ("method", $"must be one of {string.Join(", ", Methods)}");
        if (!Roles.Contains(Role?.ToLowerInvariant()))
            yield return ("role", $"must be one of {string.Join(", ", Roles)}");
        if (WaitSeconds is < 0 or > 300) yield return ("waitSeconds", "must be from 0 to 300");
    }

    [GeneratedRegex(@"^[a-z0-9_.\-]+(/[a-z0-9_.\-]+)*$")]
    private static partial Regex PathPattern();
}
