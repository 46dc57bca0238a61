using Orleans.Placement;

namespace EvalCluster.Grains.Placement;

/// <summary>Marks a grain class whose activations belong on the silo that hosts the lane in its key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class LanePlacementAttribute() : PlacementAttribute(LanePlacementStrategy.Instance);
