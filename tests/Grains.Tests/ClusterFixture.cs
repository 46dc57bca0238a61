using EvalCluster.Grains.Models;
using EvalCluster.Silo.Hosting;
using EvalCluster.Silo.Options;
using EvalCluster.TestModels;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace EvalCluster.Grains.Tests;

/// <summary>
/// A real in-process Orleans cluster of three silos, each hosting one CPU lane ("{silo}/lane0") with a
/// random-weight base, guide and reference model written once for the whole collection.
/// </summary>
public sealed class ClusterFixture : IDisposable
{
    public const int SiloCount = 3;

    public ClusterFixture()
    {
        Models = new TestLaneModels();
        Configurator.Lane = new LaneOptions { Name = "lane0", Device = "cpu", Base = Models.BaseDir, Guide = Models.GuideDir, Reference = Models.ReferenceDir, KvBudgetBytes = 64L << 20 };
        var builder = new TestClusterBuilder(SiloCount);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        Cluster.Deploy();
    }

    public TestCluster Cluster { get; }

    public TestLaneModels Models { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>Lane ids of the cluster, one per silo.</summary>
    public IReadOnlyList<string> Lanes => [.. Cluster.Silos.Select(s => $"{s.Name}/lane0")];

    public void Dispose()
    {
        Cluster.StopAllSilos();
        Cluster.Dispose();
        Models.Dispose();
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public static LaneOptions Lane { get; set; } = new();

        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddEvalClusterServices(new SiloHostOptions { Lanes = [Lane] }, new OnnxModelLoader(intraOpThreads: 1));
        }
    }
}
