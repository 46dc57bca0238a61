namespace EvalCluster.Grains.Placement;

/// <summary>
/// Places a grain on the silo named by its key's lane (see <see cref="Contracts.Lanes.LaneKeys"/>). The key alone
/// says where the grain lives, so its activations are not registered in Orleans' grain directory: each call is
/// placed by name and the silo's catalog finds or creates its one local activation. With the default directory,
/// a registration lives on whichever silo owns that part of the hash ring, and when that silo dies Orleans
/// deactivates the activation on the live silo: a killed GPU machine would drop every session (and the KV cache,
/// and the loaded weights) of the model grains and generations that other silos registered there. Measured in
/// the fleet test before this: a kill of one of three silos restarted keys on a live lane ("session 32 is not open").
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("evalcluster.LanePlacement")]
public sealed class LanePlacementStrategy : PlacementStrategy
{
    public static LanePlacementStrategy Instance { get; } = new();

    public override bool IsUsingGrainDirectory => false;
}
