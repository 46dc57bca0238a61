namespace EvalCluster.Grains.Tests;

/// <summary>Every cluster test shares one three-silo cluster (starting one costs seconds).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
