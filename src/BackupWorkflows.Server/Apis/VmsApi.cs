using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Offerings;
using BackupWorkflows.Backup.Repositories;
using BackupWorkflows.Server.Auth;
using BackupWorkflows.Server.Errors;
using BackupWorkflows.Server.Validation;
using BackupWorkflows.Backup.Vms;
using BackupWorkflows.Server.Workflows;
using BackupWorkflows.Engine.Runtime;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BackupWorkflows.Server.Apis;

/// <summary>VMs discovered on the hosts, and their assignment to an offering and a repository.</summary>
public static class VmsApi
{
    /// <summary>Maps <c>/api/vms</c>.</summary>
    public static IEndpointRouteBuilder MapVmsApi(this IEndpointRouteBuilder app)
    {
        var vms = app.MapGroup("/vms").WithTags("VMs").RequireAuthorization(Roles.Viewer);
        vms.MapGet("/", async (string? host, VmInventory inventory, CancellationToken ct) =>
                TypedResults.Ok(await inventory.ListAsync(host, ct)))
            .WithName("ListVms").WithSummary("VMs from each host's libvirt, with their assignment.");
        vms.MapPost("/{name}/assign", AssignAsync).WithName("AssignVm")
            .WithSummary("Puts a VM under an offering, with the repository its backups go to.").RequireAuthorization(Roles.Admin);
        vms.MapPost("/{name}/unassign", UnassignAsync).WithName("UnassignVm")
            .WithSummary("Starts the unassign-vm workflow: the VM leaves its offering (its backups stay).").RequireAuthorization(Roles.Admin);
        return app;
    }

    private static async Task<Ok<VmInfo>> AssignAsync(string name, AssignVmRequest request, VmAssignments assignments, OfferingRegistry offerings,
        RepositoryRegistry repositories, VmInventory inventory, IWorkflowInstanceQueries queries, CancellationToken ct)
    {
        var rules = new InputRules().VmName("name", name).Name("offering", request.Offering).Name("repository", request.Repository);
        if (request.Host is not null) rules.Name("host", request.Host);
        rules.ThrowIfAny();
        if (!await offerings.ExistsAsync(request.Offering!, ct))
            throw new NotFoundException($"No offering named '{request.Offering}'.");
        if (!await repositories.ExistsAsync(request.Repository!, ct))
            throw new NotFoundException($"No repository named '{request.Repository}'.");
        var vm = await LocateAsync(inventory, name, request.Host, ct);
        await RefuseWhileUnassigningAsync(queries, vm.Host, name, ct);

        var assignment = await assignments.AssignAsync(name, vm.Host, request.Offering!, request.Repository!, ct);
        return TypedResults.Ok(vm with { Offering = assignment.OfferingName, Repository = assignment.RepositoryName });
    }

    private static async Task<Accepted<InstanceStarted>> UnassignAsync(string name, string? host, VmAssignments assignments, WorkflowLauncher launcher,
        CancellationToken ct)
    {
        var assigned = (await assignments.CoveredAsync(name, null, ct)).Where(a => host == null || a.HostName == host).ToList();
        if (assigned.Count == 0) throw new NotFoundException($"VM '{name}' is not assigned.");
        if (assigned.Count > 1) throw new InputException("host", $"VM '{name}' is assigned on several hosts; say which with ?host=.");
        // The workflow merges the VM's delta on primary before the assignment goes, so nothing is left behind.
        var instance = await launcher.StartAsync(WorkflowLauncher.UnassignVm,
            new JsonObject { ["host"] = assigned[0].HostName, ["vm"] = name }, correlationId: UnassignCorrelation(assigned[0].HostName, name), ct: ct);
        return TypedResults.Accepted($"/api/instances/{instance}", new InstanceStarted(instance));
    }

    /// <summary>The one VM named <paramref name="name"/> that exists (on <paramref name="host"/> when given).</summary>
    /// <exception cref="NotFoundException">No such VM.</exception>
    /// <exception cref="InputException">(host) The name exists on several hosts and none was given.</exception>
    public static async Task<VmInfo> LocateAsync(VmInventory inventory, string name, string? host, CancellationToken ct)
    {
        var candidates = (await inventory.ListAsync(host, ct)).Where(v => v.Name == name && v.State != "missing").ToList();
        if (candidates.Count == 0)
            throw new NotFoundException($"No VM named '{name}' on {(host is null ? "any host" : $"host '{host}'")}.");
        if (candidates.Count > 1)
            throw new InputException("host", $"VM '{name}' exists on several hosts ({string.Join(", ", candidates.Select(c => c.Host))}); say which.");
        return candidates[0];
    }

    private static string UnassignCorrelation(string host, string vm) => $"unassign-vm:{host}/{vm}";

    /// <summary>An unassign still running ends by removing the assignment, so an assign now would be silently undone.</summary>
    private static async Task RefuseWhileUnassigningAsync(IWorkflowInstanceQueries queries, string host, string vm, CancellationToken ct)
    {
        var page = await queries.ListAsync(new InstanceFilter
        {
            DefinitionId = WorkflowLauncher.UnassignVm, CorrelationId = UnassignCorrelation(host, vm), Take = 500,
        }, ct);
        if (page.Items.FirstOrDefault(i => !i.Status.IsEnded()) is { } running)
            throw new ConflictException($"VM '{vm}' on host '{host}' is being unassigned (instance {running.Id}); " +
                $"assign it again once that has ended (bwf run show {running.Id}).");
    }
}

/// <summary>Body of POST /api/vms/{name}/assign; <c>host</c> is needed only when the name exists on several hosts.</summary>
public sealed record AssignVmRequest(string? Offering, string? Repository, string? Host);
