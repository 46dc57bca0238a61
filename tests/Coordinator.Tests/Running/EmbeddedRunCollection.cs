namespace EvalCluster.Coordinator.Tests.Running;

/// <summary>
/// `run` end-to-end tests run alone: each starts an embedded silo (two cores are contended enough) and some swap
/// the process-wide Console.Error to read the one-line error.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmbeddedRunCollection
{
    public const string Name = "embedded run";
}
