using EvalCluster.Contracts.Lanes;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Checks, before any work starts, that the cluster's lanes host every model the arms need: the `reference` arm
/// runs the lane's reference model, which is optional in a lane's configuration.
/// </summary>
public static class LaneRequirements
{
    public static void Check(IReadOnlyList<LaneInfo> lanes, IReadOnlyList<string> arms)
    {
        var reference = arms.FirstOrDefault(a => !RunInputs.IsMatched(a) && ArmSpec.Parse(a).OnReferenceModel);
        var without = lanes.Where(l => !l.Models.ContainsKey(ModelRoles.Reference)).Select(l => l.LaneId).ToList();
        if (reference is not null && without.Count > 0)
        {
            throw new ArgumentException($"arm '{reference}' needs a reference model on every lane, but lane(s) {string.Join(", ", without)} have none; "
                + "pass --reference DIR (embedded) or set Silo:Lanes:N:Reference on every silo.");
        }
    }
}
