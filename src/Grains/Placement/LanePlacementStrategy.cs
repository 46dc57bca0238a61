namespace EvalCluster.Grains.Placement;

/// <summary>Places a grain on the silo named by its key's lane (see <see cref="Contracts.Lanes.LaneKeys"/>).</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("evalcluster.LanePlacement")]
public sealed class LanePlacementStrategy : PlacementStrategy
{
    public static LanePlacementStrategy Instance { get; } = new();
}
