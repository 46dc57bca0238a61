using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Generation;
using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Models;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Tokenization;
using EvalCluster.Silo.Hosting;
using EvalCluster.TestModels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace EvalCluster.Bench.Cluster;

/// <summary>
/// Tokens/s of the embedded cluster (one CPU lane, generation grains over model grains) against the
/// single-process DualModelDecoder on the same models, requests and batch; the ratio is the orchestration
/// cost. Also prints the cluster's batch-size distribution.
/// </summary>
public sealed class ClusterBench : IBench
{
    private const int Sequences = 32;
    private const int MaxNewTokens = 48;

    public string Name => "cluster";

    public string Description => "embedded cluster vs single-process DualModelDecoder: tokens/s, ratio, batch sizes";

    public void Run() => RunAsync().GetAwaiter().GetResult();

    private const int Rounds = 3;

    private static async Task RunAsync()
    {
        var spec = new TestModelSpec(Layers: 4, Hidden: 256, Heads: 8, KvHeads: 4, HeadDim: 32, FfnDim: 512, Seed: 41, WeightScale: 2f);
        var baseDir = TestModelWriter.WriteTemp(spec, "bench-base");
        var guideDir = TestModelWriter.WriteTemp(spec with { Layers = 6, Seed = 42, ChatTemplate = true }, "bench-guide");
        Console.WriteLine($"{Sequences} sequences x {MaxNewTokens} new tokens (greedy; no EOS stop), test models d=256 base 4 layers / guide 6 layers, CPU, {Environment.ProcessorCount} cores");
        Console.WriteLine($"best of {Rounds} alternating rounds per path (a shared machine's load only ever slows a round down)");
        Console.WriteLine();
        Console.WriteLine("| arm | single-process tok/s | embedded cluster tok/s | ratio |");
        Console.WriteLine("|---|---|---|---|");
        var sizes = new List<int>();
        await using var app = EvalClusterSilo.Build(Configuration(baseDir, guideDir), new NoEosLoader());
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        foreach (var arm in new[] { "base", "guided", "random@0.1" })
        {
            var requests = Requests(arm);
            await GenerateAsync(grains, requests, "warm");
            double single = 0, cluster = 0;
            for (var round = 0; round < Rounds; round++)
            {
                single = Math.Max(single, Single(baseDir, guideDir, requests));
                cluster = Math.Max(cluster, await ClusterAsync(grains, requests, $"r{round}", sizes));
            }
            Console.WriteLine($"| {arm} | {single:0} | {cluster:0} | {cluster / single:0.00} |");
        }
        await app.StopAsync();
        Console.WriteLine();
        Console.WriteLine("| batch size | passes |");
        Console.WriteLine("|---|---|");
        foreach (var group in sizes.GroupBy(s => Bucket(s)).OrderBy(g => g.Min()))
        {
            Console.WriteLine($"| {group.Key} | {group.Count()} |");
        }
    }

    private static string Bucket(int size) => size switch
    {
        1 => "1",
        <= 4 => "2-4",
        <= 8 => "5-8",
        <= 16 => "9-16",
        _ => "17-32",
    };

    private static List<GenerationRequest> Requests(string arm) => [.. Enumerable.Range(0, Sequences).Select(i => new GenerationRequest
    {
        RunId = "bench-" + arm,
        Key = new ResultKey("bench", $"p{i}", 0, arm),
        BasePrompt = $"Q: a={i} b={i % 5} find a*b+{i}\nA:",
        ChatPrompt = $"a={i} b={i % 5} find a*b+{i}",
        ArmSpec = arm,
        Decode = new DecodeSettings { MaxNewTokens = MaxNewTokens, Tau = 2.0, Lambda = 1.0, Window = 8 },
    })];

    // Neither path stops at EOS, so both generate exactly Sequences x MaxNewTokens tokens.
    private static readonly IReadOnlySet<int> NoEos = new HashSet<int>();

    private static double Single(string baseDir, string guideDir, List<GenerationRequest> requests)
    {
        var baseText = TokenizerFolder.Load(baseDir);
        var guideText = TokenizerFolder.Load(guideDir);
        using var baseLm = OnnxCausalLm.Load(baseDir, ExecutionOptions.Cpu);
        using var guideLm = OnnxCausalLm.Load(guideDir, ExecutionOptions.Cpu);
        var decoder = new DualModelDecoder(baseLm, guideLm, GuideMode.Lazy);
        List<DecodeRequest> Make() => [.. requests.Select(r => new DecodeRequest(SequenceFactory.Create(r, NoEos),
            PromptEncoding.Encode(baseText, "base", r.BasePrompt), PromptEncoding.Encode(guideText, "guide", r.ChatPrompt)))];
        decoder.Decode(Make());
        var clock = Stopwatch.StartNew();
        var result = decoder.Decode(Make());
        return result.Counters.GeneratedTokens / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> ClusterAsync(IGrainFactory grains, List<GenerationRequest> requests, string tag, List<int> sizes)
    {
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ClusterInstruments.MeterName && i.Name == ClusterInstruments.BatchSizeName)
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, v, _, _) =>
        {
            lock (sizes)
            {
                sizes.Add(v);
            }
        });
        listener.Start();
        var clock = Stopwatch.StartNew();
        var results = await GenerateAsync(grains, requests, tag);
        return results.Sum(r => r.ResponseTokens) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<GenerationResult[]> GenerateAsync(IGrainFactory grains, List<GenerationRequest> requests, string tag)
    {
        var runId = requests[0].RunId + "-" + tag;
        var run = requests.Select(r => r with { RunId = runId }).ToList();
        return await Task.WhenAll(run.Select(async r =>
        {
            var grain = grains.GetGrain<IGenerationGrain>(LaneKeys.Generation("bench/lane0", runId, r.Key));
            GenerationResult? result = null;
            while (result is null)
            {
                result = await grain.GenerateAsync(r, TimeSpan.FromSeconds(10));
            }
            return result;
        }));
    }

    private static IConfiguration Configuration(string baseDir, string guideDir) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Error",
        ["Silo:Name"] = "bench",
        ["Silo:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N"),
        ["Silo:SiloPort"] = FreePort().ToString(),
        ["Silo:GatewayPort"] = FreePort().ToString(),
        ["Silo:HttpUrl"] = "http://127.0.0.1:0",
        ["Silo:Lanes:0:Name"] = "lane0",
        ["Silo:Lanes:0:Base"] = baseDir,
        ["Silo:Lanes:0:Guide"] = guideDir,
        ["Batching:MaxBatchSize"] = Sequences.ToString(),
    }).Build();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The ONNX loader with end-of-sequence ids removed, so every sequence runs to the token limit.</summary>
    private sealed class NoEosLoader : IModelLoader
    {
        public LoadedModel Load(string folder, string device, string role) =>
            new OnnxModelLoader().Load(folder, device, role) with { EosIds = NoEos };
    }
}
