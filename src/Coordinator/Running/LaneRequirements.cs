using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Checks, before the run folder exists, that the cluster's lanes can serve every model the arms need: the
/// `reference` arm needs the lane's (optional) reference model, and every needed model grain is activated once, so
/// a model that cannot load (a broken model.onnx or config.json) fails the command with its one line and leaves
/// no half-started run behind.
/// </summary>
public static class LaneRequirements
{
    public static async Task CheckAsync(IGrainFactory grains, IReadOnlyList<LaneInfo> lanes, IReadOnlyList<string> arms)
    {
        var plan = ArmPlan.Create(arms);
        var without = lanes.Where(l => !l.Models.ContainsKey(ModelRoles.Reference)).Select(l => l.LaneId).ToList();
        if (plan.ReferenceArm is { } reference && without.Count > 0)
        {
            throw new ArgumentException($"arm '{reference.Name}' needs a reference model on every lane, but lane(s) {string.Join(", ", without)} have none; "
                + "pass --reference DIR (embedded) or set Silo:Lanes:N:Reference on every silo.");
        }
        var roles = plan.Arms.SelectMany(Roles).Distinct().ToList();
        await Task.WhenAll(lanes.SelectMany(l => roles.Select(role => grains.GetGrain<IModelGrain>(LaneKeys.Model(l.LaneId, role)).GetInfoAsync())));
    }

    private static IEnumerable<string> Roles(ArmSpec arm)
    {
        if (arm.Models.HasFlag(ArmModels.Base))
        {
            yield return ModelRoles.Base;
        }
        if (arm.Models.HasFlag(ArmModels.Guide))
        {
            yield return arm.OnReferenceModel ? ModelRoles.Reference : ModelRoles.Guide;
        }
    }
}
