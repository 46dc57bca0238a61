using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EvalCluster.Silo.Hosting;

/// <summary>Healthy while this silo is an active member of its cluster.</summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var active = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) == SiloStatus.Active;
        return Task.FromResult(active
            ? HealthCheckResult.Healthy($"silo {silo.Name} active")
            : HealthCheckResult.Unhealthy($"silo {silo.Name} is not active"));
    }
}
