using BackupWorkflows.Testing.Databases;

namespace BackupWorkflows.Backup.Tests.Fixtures;

/// <summary>Tests sharing one <see cref="PostgresCluster"/> for the run (xunit 2 finds the definition only in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    /// <summary>Collection name.</summary>
    public const string Name = PostgresCluster.CollectionName;
}
