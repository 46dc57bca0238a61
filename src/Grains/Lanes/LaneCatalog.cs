using EvalCluster.Contracts.Lanes;

namespace EvalCluster.Grains.Lanes;

/// <summary>The lanes of this silo, by lane id (silo name / lane name). Registered once per silo.</summary>
/// <param name="batchSizeFor">Sessions per step of a model on a device (Batching:MaxBatchSize, device-sized when 0).</param>
public sealed class LaneCatalog(ILocalSiloDetails silo, IReadOnlyList<LaneConfig> lanes, Func<string, int> batchSizeFor)
{
    private Task<ImmutableArray<LaneInfo>>? _identified;

    public string SiloName => silo.Name;

    /// <summary>
    /// The lanes with each model's weights hash, computed once per silo off the scheduler (hashing reads every
    /// weight file: seconds for small models, about a minute for an 8B one), so coordinators can check what a lane serves.
    /// </summary>
    public Task<ImmutableArray<LaneInfo>> IdentifiedLanesAsync() => _identified ??= Task.Run(() => Lanes.Select(l => l with
    {
        Weights = l.Models.ToImmutableDictionary(m => m.Key, m => Inference.Models.ModelFolder.HashWeights(m.Value)),
    }).ToImmutableArray());

    public ImmutableArray<LaneInfo> Lanes { get; } = [.. lanes.Select(l => new LaneInfo(
        LaneKeys.LaneId(silo.Name, l.Name), silo.Name, l.Device, l.Models.ToImmutableDictionary()) { MaxBatch = batchSizeFor(l.Device) })];

    /// <summary>The lane's settings, or a one-line error naming the lanes this silo does host.</summary>
    public LaneConfig Get(string laneId)
    {
        var name = laneId.StartsWith(silo.Name + LaneKeys.LaneSeparator, StringComparison.Ordinal)
            ? laneId[(silo.Name.Length + 1)..]
            : null;
        return lanes.FirstOrDefault(l => l.Name == name)
            ?? throw new ArgumentException($"silo '{silo.Name}' does not host lane '{laneId}'; it hosts: {string.Join(", ", Lanes.Select(l => l.LaneId))}.");
    }

    public string ModelFolder(string laneId, string role)
    {
        var lane = Get(laneId);
        return lane.Models.TryGetValue(role, out var folder)
            ? folder
            : throw new ArgumentException($"lane '{laneId}' has no {role} model; set Silo:Lanes:N:{char.ToUpperInvariant(role[0])}{role[1..]} in the silo's configuration.");
    }
}
