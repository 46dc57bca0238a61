using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Generation;
using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Models;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ClusterRunTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_twenty_problem_run_of_four_arms_completes_with_every_generation_on_its_lanes_silo()
    {
        var requests = TestRuns.Requests("run-twenty", 20, TestRuns.Arms, TestRuns.Greedy());

        var results = await TestRuns.GenerateAllAsync(fixture.Grains, fixture.Lanes, requests);

        Assert.Equal(requests.Select(r => r.Key), results.Select(r => r.Key));
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.All(results, r => Assert.Equal(LaneKeys.SiloName(r.Lane), r.Silo));
        Assert.Equal(fixture.Lanes.Count, results.Select(r => r.Lane).Distinct().Count());
        Assert.All(results, r => Assert.InRange(r.ResponseTokens, 1, 12));
    }

    [Fact]
    public async Task Greedy_results_equal_the_single_process_dual_model_decoder_token_for_token()
    {
        var requests = TestRuns.Requests("run-equal", 6, TestRuns.Arms, TestRuns.Greedy(16));

        var results = await TestRuns.GenerateAllAsync(fixture.Grains, fixture.Lanes, requests);

        var baseText = TokenizerFolder.Load(fixture.Models.BaseDir);
        var guideText = TokenizerFolder.Load(fixture.Models.GuideDir);
        var eos = baseText.EosTokenIds.Concat(guideText.EosTokenIds).ToHashSet();
        using var baseLm = OnnxCausalLm.Load(fixture.Models.BaseDir, ExecutionOptions.Cpu);
        using var guideLm = OnnxCausalLm.Load(fixture.Models.GuideDir, ExecutionOptions.Cpu);
        var decoded = new DualModelDecoder(baseLm, guideLm, GuideMode.Lazy).Decode([.. requests.Select(r => new DecodeRequest(
            SequenceFactory.Create(r, eos),
            PromptEncoding.Encode(baseText, "base", r.BasePrompt),
            PromptEncoding.Encode(guideText, "guide", r.ChatPrompt)))]);
        for (var i = 0; i < requests.Count; i++)
        {
            Assert.Equal(decoded.Sequences[i].Tokens, results[i].Tokens);
            Assert.Equal(decoded.Sequences[i].Takeovers, results[i].Takeovers);
            Assert.Equal(decoded.Sequences[i].GuideConsultations, results[i].GuideForwardPasses);
        }
        Assert.Contains(results, r => r.Takeovers > 0 && r.Takeovers < r.ResponseTokens);
    }

    [Fact]
    public async Task Concurrent_generations_on_one_lane_are_coalesced_into_batches_larger_than_one()
    {
        using var metrics = new MetricCapture();
        var requests = TestRuns.Requests("run-batch", 12, ["base"], TestRuns.Greedy());

        await TestRuns.GenerateAllAsync(fixture.Grains, [fixture.Lanes[0]], requests);

        var sizes = metrics.Values(ClusterInstruments.BatchSizeName).Select(v => v.Value).ToList();
        Assert.Contains(sizes, s => s > 1);
    }
}
