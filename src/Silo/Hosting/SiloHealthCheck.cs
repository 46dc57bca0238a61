using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using EvalCluster.Grains.Lanes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvalCluster.Silo.Hosting;

/// <summary>
/// Healthy only when this silo can do work: it reads its own row from the membership table now (Redis, or the
/// primary silo under localhost clustering: a silo cut off from membership is not healthy even though its last
/// snapshot says Active), that row says Active, and at least one of its lanes has its base and guide models loaded.
/// </summary>
internal sealed class SiloHealthCheck(IMembershipTable membership, ILocalSiloDetails silo, LaneCatalog lanes, IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ModelLoadLimit = TimeSpan.FromSeconds(60);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Limit);
            var row = await membership.ReadRowAsync(silo.SiloAddress, limit.Token).WaitAsync(Limit, cancellationToken);
            var status = row.Members.Select(m => m.Item1).FirstOrDefault(m => m is not null && m.SiloAddress.Equals(silo.SiloAddress))?.Status;
            if (status != SiloStatus.Active)
            {
                return HealthCheckResult.Unhealthy($"silo {silo.Name} is {status?.ToString() ?? "not"} in the membership table");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"silo {silo.Name} cannot read membership: {ex.Message.Split('\n')[0]}");
        }
        var problems = new List<string>();
        foreach (var lane in lanes.Lanes)
        {
            try
            {
                // The first call loads the model; later calls are answered from memory.
                await Task.WhenAll(
                    grains.GetGrain<IModelGrain>(LaneKeys.Model(lane.LaneId, ModelRoles.Base)).GetInfoAsync(),
                    grains.GetGrain<IModelGrain>(LaneKeys.Model(lane.LaneId, ModelRoles.Guide)).GetInfoAsync()).WaitAsync(ModelLoadLimit, cancellationToken);
                return HealthCheckResult.Healthy($"silo {silo.Name} active; lane {lane.LaneId} usable");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{lane.LaneId}: {ex.Message.Split('\n')[0]}");
            }
        }
        return HealthCheckResult.Unhealthy($"silo {silo.Name} has no usable lane ({string.Join("; ", problems)})");
    }
}
