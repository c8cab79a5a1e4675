using System.Security.Claims;

namespace BackupWorkflows.Server.Auth;

/// <summary>The three roles, each including the rights of the ones before it.</summary>
public static class Roles
{
    /// <summary>Reads everything (GET only).</summary>
    public const string Viewer = "viewer";

    /// <summary>Viewer, plus backups, restores, deletes, schedules, running/cancelling/retrying instances.</summary>
    public const string Operator = "operator";

    /// <summary>Operator, plus hosts, repositories, offerings, settings, keys and workflow definitions.</summary>
    public const string Admin = "admin";

    /// <summary>All roles, lowest first.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    /// <summary>Rank of a role (0 viewer … 2 admin), or -1 when unknown.</summary>
    public static int Rank(string? role) => role is null ? -1 : All.ToList().IndexOf(role);

    /// <summary>True when the user's role is <paramref name="minimum"/> or higher.</summary>
    public static bool Has(ClaimsPrincipal user, string minimum) =>
        Rank(user.FindFirstValue(ClaimTypes.Role)) >= Rank(minimum);
}
