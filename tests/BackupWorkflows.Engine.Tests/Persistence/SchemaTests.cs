using BackupWorkflows.Engine.Persistence;
using BackupWorkflows.Engine.Runtime;
using BackupWorkflows.Engine.Tests.Fixtures;
using BackupWorkflows.Testing.Databases;
using Microsoft.EntityFrameworkCore;

namespace BackupWorkflows.Engine.Tests.Persistence;

/// <summary>A context of another part of the product sharing the engine's database.</summary>
public sealed class ForeignContext(DbContextOptions<ForeignContext> options) : DbContext(options)
{
    public DbSet<ForeignHost> Hosts => Set<ForeignHost>();

    protected override void OnModelCreating(ModelBuilder b) =>
        b.Entity<ForeignHost>(e => { e.ToTable("backup_hosts"); e.HasKey(h => h.Id); e.HasIndex(h => h.Name).IsUnique(); });
}

public sealed class ForeignHost
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
}

[Collection(PostgresCollection.Name)]
public sealed class SchemaTests(PostgresCluster postgres)
{
    [Theory, MemberData(nameof(EngineHost.Providers), MemberType = typeof(EngineHost))]
    public async Task EnsureTables_WithAnotherContextsTablesPresent_CreatesBothIdempotently(string provider)
    {
        var connection = provider == "sqlite" ? $"Data Source={Path.Combine(Path.GetTempPath(), $"bwf-schema-{Guid.NewGuid():N}.db")}" : postgres.NewDatabase();
        ForeignContext Foreign()
        {
            var options = new DbContextOptionsBuilder<ForeignContext>();
            if (provider == "sqlite") options.UseSqlite(connection);
            else options.UseNpgsql(connection);
            return new ForeignContext(options.Options);
        }

        await using (var foreign = Foreign())
        {
            await SchemaInitializer.EnsureTablesAsync(foreign); // the other context is first: EnsureCreated would now skip the engine
            foreign.Hosts.Add(new ForeignHost { Name = "kvm-1" });
            await foreign.SaveChangesAsync();
        }
        await using (var engine = await EngineHost.StartAsync(provider, postgres, connection: connection))
        {
            await engine.PublishAsync("""{ "id": "s", "activities": [ { "id": "r", "type": "Test.Record", "inputs": { "log": "schema" } } ] }""");
            Assert.Equal(WorkflowStatus.Finished, (await engine.RunAsync("s")).Status);
        }
        await using (var again = await EngineHost.StartAsync(provider, postgres, connection: connection))
            Assert.Equal(1, (await again.Queries.ListAsync()).Total); // second start: tables kept, nothing recreated
        await using (var foreign = Foreign())
        {
            await SchemaInitializer.EnsureTablesAsync(foreign);
            Assert.Equal("kvm-1", (await foreign.Hosts.SingleAsync()).Name);
        }
    }

    [Fact]
    public void IdempotentCreateScript_AddsIfNotExistsToTablesAndIndexes()
    {
        var script = SchemaInitializer.IdempotentCreateScript("CREATE TABLE \"a\" (x int);\nCREATE UNIQUE INDEX \"i\" ON \"a\" (x);\nCREATE INDEX \"j\" ON \"a\" (x);");
        Assert.Equal("CREATE TABLE IF NOT EXISTS \"a\" (x int);\nCREATE UNIQUE INDEX IF NOT EXISTS \"i\" ON \"a\" (x);\nCREATE INDEX IF NOT EXISTS \"j\" ON \"a\" (x);", script);
    }
}
