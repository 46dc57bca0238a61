namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>Tests that swap Console.In/Out/Error run alone: the console is process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TokenizeConsoleCollection
{
    public const string Name = "tokenize console";
}
