using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Generation;
using EvalCluster.Grains.Models;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Grains.Tests;

/// <summary>The arms that bring their own model or their own size: `reference` and `early@RHO`.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ArmModelTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_reference_arm_decodes_with_the_lanes_reference_model_alone_in_its_chat_template()
    {
        var requests = TestRuns.Requests("run-reference", 4, ["reference", "guide"], TestRuns.Greedy(16));

        var results = await TestRuns.GenerateAllAsync(fixture.Grains, fixture.Lanes, requests);

        var text = TokenizerFolder.Load(fixture.Models.ReferenceDir);
        using var referenceLm = OnnxCausalLm.Load(fixture.Models.ReferenceDir, ExecutionOptions.Cpu);
        var references = requests.Where(r => r.Key.Arm == "reference").ToList();
        var decoded = new DualModelDecoder(null, referenceLm).Decode([.. references.Select(r => new DecodeRequest(
            SequenceFactory.Create(r, text.EosTokenIds.ToHashSet()), [], PromptEncoding.Encode(text, "reference", r.ChatPrompt)))]);
        var fromCluster = results.Where(r => r.Key.Arm == "reference").ToList();
        for (var i = 0; i < references.Count; i++)
        {
            Assert.Equal(decoded.Sequences[i].Tokens, fromCluster[i].Tokens);
            Assert.Equal(fromCluster[i].ResponseTokens, fromCluster[i].Takeovers);
        }
        // Two different random models: the reference arm must not quietly run the guide.
        Assert.Contains(results.Where(r => r.Key.Arm == "guide"), g => !g.Tokens.SequenceEqual(fromCluster.Single(r => r.Key.ProblemId == g.Key.ProblemId).Tokens));
        var info = await fixture.Grains.GetGrain<IModelGrain>(LaneKeys.Model(fixture.Lanes[0], ModelRoles.Reference)).GetInfoAsync();
        Assert.Equal(fixture.Models.ReferenceDir, info.Folder);
    }

    [Fact]
    public async Task Early_at_rho_hands_the_guide_rho_times_the_base_response_length_tokens()
    {
        var requests = TestRuns.Requests("run-early", 4, ["early@0.25"], TestRuns.Greedy(12))
            .Select(r => r with { BaseResponseLength = 10 }).ToList();

        var results = await TestRuns.GenerateAllAsync(fixture.Grains, fixture.Lanes, requests);

        // k = round(0.25 x 10) = 3 (midpoint away from zero), or the whole response when it ends sooner.
        Assert.All(results, r => Assert.Equal(Math.Min(3, r.ResponseTokens), r.Takeovers));
    }
}
