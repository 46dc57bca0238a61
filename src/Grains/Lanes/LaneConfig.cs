namespace EvalCluster.Grains.Lanes;

/// <summary>One lane this silo hosts: a name unique within the silo, a device, and role -> model folder.</summary>
public sealed record LaneConfig(string Name, string Device, IReadOnlyDictionary<string, string> Models, long KvBudgetBytes);
