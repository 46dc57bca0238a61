using EvalCluster.Contracts.Lanes;
using Orleans.Runtime.Placement;

namespace EvalCluster.Grains.Placement;

/// <summary>
/// Chooses the active silo whose name the grain key's lane carries (its newest incarnation, when a restarted silo's
/// old one is still listed). When no such silo is active the
/// activation fails with a message naming the lane: work never falls back silently to another silo or CPU.
/// </summary>
internal sealed class LanePlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        var siloName = LaneKeys.SiloName(key);
        var members = membership.CurrentSnapshot.Members;
        // Two active entries under one name: a silo restarted under its name (a rescheduled pod) before membership
        // declared the old incarnation dead. The newest serves the lane; the old one can only fail the call.
        var newest = context.GetCompatibleSilos(target)
            .Where(silo => members.TryGetValue(silo, out var member) && member.Status == SiloStatus.Active && member.Name == siloName)
            .MaxBy(silo => silo.Generation);
        if (newest is not null)
        {
            return Task.FromResult(newest);
        }
        throw new ArgumentException($"no active silo named '{siloName}' hosts lane '{LaneKeys.LaneOf(key)}' (grain {target.GrainIdentity}); start that silo or use a lane the cluster lists.");
    }
}
