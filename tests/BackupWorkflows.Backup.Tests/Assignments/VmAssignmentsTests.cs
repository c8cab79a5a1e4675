using BackupWorkflows.Backup.Assignments;
using BackupWorkflows.Backup.Catalog;
using BackupWorkflows.Backup.Model;
using BackupWorkflows.Backup.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Backup.Tests.Assignments;

/// <summary>Assignment lookups on a real SQLite database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class VmAssignmentsTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Covered_ByVmOnEveryHost_OrByOffering()
    {
        await using var database = await DomainDatabase.CreateAsync("sqlite", postgres);
        await database.SeedAsync(d => d.Assignments.AddRange(
            Assignment("web", "h1", "gold"), Assignment("web", "h2", "silver"), Assignment("db", "h1", "gold")));
        await using var db = database.Open();
        var assignments = new VmAssignments(db, TimeProvider.System);

        Assert.Equal(["h1", "h2"], (await assignments.CoveredAsync("web", "ignored", default)).Select(a => a.HostName).Order());
        Assert.Equal(["db", "web"], (await assignments.CoveredAsync(null, "gold", default)).Select(a => a.VmName).Order());
        Assert.True(await assignments.IsAssignedAsync("db"));
        Assert.False(await assignments.IsAssignedAsync("mail"));
        Assert.Null(await assignments.FindAssignmentAsync("h2", "db"));
        Assert.Contains("VM 'db' on host 'h2' is not assigned",
            (await Assert.ThrowsAsync<BackupInputException>(() => assignments.AssignmentAsync("h2", "db"))).Message);
    }

    [Fact]
    public async Task Assign_NewThenToAnotherRepository_EndsTheChain_SameRepositoryKeepsIt()
    {
        await using var database = await DomainDatabase.CreateAsync("sqlite", postgres);
        await using var db = database.Open();
        var assignments = new VmAssignments(db, TimeProvider.System);

        var created = await assignments.AssignAsync("web", "h1", "gold", "r1");
        Assert.Equal(("gold", "r1", null), (created.OfferingName, created.RepositoryName, created.ChainEndedReason));
        var sameRepository = await assignments.AssignAsync("web", "h1", "silver", "r1");
        Assert.Equal(("silver", null), (sameRepository.OfferingName, sameRepository.ChainEndedReason));
        var moved = await assignments.AssignAsync("web", "h1", "silver", "r2");
        Assert.Equal("the VM moved to another repository", moved.ChainEndedReason);

        await using var check = database.Open();
        var stored = Assert.Single(check.Assignments);
        Assert.Equal(("r2", "the VM moved to another repository"), (stored.RepositoryName, stored.ChainEndedReason));
    }

    private static VmAssignment Assignment(string vm, string host, string offering) =>
        new() { VmName = vm, HostName = host, OfferingName = offering, RepositoryName = "r1" };
}
