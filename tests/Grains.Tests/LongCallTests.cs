using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Grains.Models;
using EvalCluster.Inference.Models;
using EvalCluster.Silo.Hosting;
using EvalCluster.Silo.Options;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace EvalCluster.Grains.Tests;

/// <summary>
/// A lane slowed on purpose (every forward pass sleeps, one sequence per batch) in a cluster whose response timeout
/// is 3 s: generations that take longer than the timeout, and keys that wait in the batch queue longer than it,
/// still finish, because each call to a generation grain returns within its bound and the caller asks again.
/// The same lane refuses prompts over 200 tokens with an InferenceException, as a model refuses what exceeds its context.
/// </summary>
public sealed class LongCallTests : IAsyncLifetime
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(3);
    private const int MaxPromptTokens = 200;
    private readonly TestLaneModels _models = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        SlowConfigurator.Lane = new LaneOptions { Name = "lane0", Device = "cpu", Base = _models.BaseDir, Guide = _models.GuideDir, KvBudgetBytes = 64L << 20 };
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SlowConfigurator>();
        builder.AddClientBuilderConfigurator<SlowConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _models.Dispose();
    }

    [Fact]
    public async Task Generations_longer_than_the_response_timeout_finish_and_queueing_does_not_count_against_it()
    {
        var lane = $"{_cluster.Primary!.Name}/lane0";
        var requests = TestRuns.Requests("run-slow", 3, ["base"], TestRuns.Greedy(10) with { Seed = 3 });

        // One call that waits for the whole generation runs into the timeout: the limit is real in this cluster.
        var blocking = _cluster.GrainFactory.GetGrain<IGenerationGrain>(LaneKeys.Generation(lane, "run-slow-blocking", requests[0].Key));
        await Assert.ThrowsAsync<TimeoutException>(() => blocking.GenerateAsync(requests[0] with { RunId = "run-slow-blocking" }, TimeSpan.FromMinutes(1)));

        var results = await Task.WhenAll(requests.Select(r => TestRuns.GenerateAsync(_cluster.GrainFactory, lane, r, TimeSpan.FromMilliseconds(500))));

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.All(results, r => Assert.True(r.ResponseTokens > 0));
        Assert.Contains(results, r => r.TotalS > ResponseTimeout.TotalSeconds);

        // A sample the model refuses fails alone, with its reason, and the lane goes on serving.
        var tooLong = requests[0] with { RunId = "run-slow-long", BasePrompt = new string('x', 400) };
        var failed = await TestRuns.GenerateAsync(_cluster.GrainFactory, lane, tooLong, TimeSpan.FromMilliseconds(500));
        var after = await TestRuns.GenerateAsync(_cluster.GrainFactory, lane, requests[1] with { RunId = "run-slow-after" }, TimeSpan.FromMilliseconds(500));

        Assert.Equal($"prompt longer than {MaxPromptTokens} tokens", failed.Error);
        Assert.Equal(("", false), (failed.Response, failed.Correct));
        Assert.Equal(string.Join(",", results[1].Tokens), string.Join(",", after.Tokens));
    }

    private sealed class SlowConfigurator : ISiloConfigurator, IClientBuilderConfigurator
    {
        public static LaneOptions Lane { get; set; } = new();

        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            siloBuilder.Services.Configure<BatchingOptions>(o => o.MaxBatchSize = 1);
            siloBuilder.AddEvalClusterServices(new SiloHostOptions { Lanes = [Lane] }, new SlowLoader());
        }

        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
    }

    private sealed class SlowLoader : IModelLoader
    {
        public LoadedModel Load(string folder, string device, string role)
        {
            var model = new OnnxModelLoader(intraOpThreads: 1).Load(folder, device, role);
            return model with { Lm = new SlowLm(model.Lm, TimeSpan.FromMilliseconds(350)) };
        }
    }

    /// <summary>The real model, with a sleep before every batched forward pass (a lane on a slow device).</summary>
    private sealed class SlowLm(ICausalLm inner, TimeSpan delay) : ICausalLm
    {
        public string Name => inner.Name;
        public int VocabSize => inner.VocabSize;
        public long KvBytesPerToken => inner.KvBytesPerToken;
        public int MaxContext => inner.MaxContext;
        public int OpenSession() => inner.OpenSession();
        public IReadOnlyList<int> SessionTokens(int session) => inner.SessionTokens(session);
        public long KvBytes(int session) => inner.KvBytes(session);
        public void CloseSession(int session) => inner.CloseSession(session);
        public void Dispose() => inner.Dispose();

        public IReadOnlyList<ForwardResult> Forward(IReadOnlyList<ForwardRequest> requests)
        {
            if (requests.Any(r => r.Tokens.Length > MaxPromptTokens))
            {
                throw new Inference.InferenceException($"prompt longer than {MaxPromptTokens} tokens");
            }
            Thread.Sleep(delay);
            return inner.Forward(requests);
        }
    }
}
