using System.Diagnostics;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using EvalCluster.Contracts.Runs;
using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Grading;
using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Placement;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// One (problem, sample, arm) on its lane's silo: builds the step machine, runs it against the lane's model
/// grains, decodes, extracts and grades the answer, records the result in the run grain and returns it.
/// </summary>
[LanePlacement]
internal sealed class GenerationGrain(IGrainFactory grains, ILocalSiloDetails silo, ClusterInstruments instruments)
    : Grain, IGenerationGrain
{
    public async Task<SampleResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var lane = LaneKeys.LaneOf(this.GetPrimaryKeyString());
        var baseModel = grains.GetGrain<IModelGrain>(LaneKeys.Model(lane, ModelRoles.Base));
        instruments.GenerationStarted(lane);
        try
        {
            var spec = SequenceFactory.ResolveArm(request.ArmSpec, request.Decode);
            // The reference arm is "the guide alone" run on the lane's reference model (same chat template rule).
            var guideModel = grains.GetGrain<IModelGrain>(LaneKeys.Model(lane, spec.OnReferenceModel ? ModelRoles.Reference : ModelRoles.Guide));
            var usesBase = spec.Models.HasFlag(ArmModels.Base);
            var usesGuide = spec.Models.HasFlag(ArmModels.Guide);
            var baseInfo = usesBase ? await baseModel.GetInfoAsync() : null;
            var guideInfo = usesGuide ? await guideModel.GetInfoAsync() : null;
            var eos = (baseInfo?.EosIds ?? []).Concat(guideInfo?.EosIds ?? []).ToHashSet();
            var basePrompt = usesBase ? (await baseModel.EncodePromptAsync(request.BasePrompt)).Value : [];
            var guidePrompt = usesGuide ? (await guideModel.EncodePromptAsync(request.ChatPrompt)).Value : [];
            var sequence = SequenceFactory.Create(request, eos);
            var runner = new LaneSequenceRunner(baseModel, guideModel);
            var clock = new TokenClock(instruments, lane, request.Key.Arm, spec.Models, baseInfo?.Name ?? "", guideInfo?.Name ?? "");
            await runner.RunAsync(sequence, basePrompt, guidePrompt, clock.OnToken, cancellationToken);
            instruments.GuideConsulted(runner.GuideConsultations, guideInfo?.Name ?? "", request.Key.Arm, lane);
            var result = await GradeAsync(request, sequence, usesBase ? baseModel : guideModel, eos, usesBase ? basePrompt.Length : guidePrompt.Length, runner, lane);
            result = result with { Silo = silo.Name };
            await grains.GetGrain<IRunGrain>(request.RunId).RecordAsync(result);
            instruments.SampleGraded(request.RunId, request.Key, lane, result.Correct);
            return result;
        }
        finally
        {
            instruments.GenerationEnded(lane);
            // One activation per result key: nothing to keep once it is recorded.
            DeactivateOnIdle();
        }
    }

    private static async Task<SampleResult> GradeAsync(GenerationRequest request, GuidedSequence sequence, IModelGrain decoder,
        IReadOnlySet<int> eos, int promptTokens, LaneSequenceRunner runner, string lane)
    {
        var tokens = sequence.ResponseTokens.ToArray();
        var textTokens = tokens.Length > 0 && eos.Contains(tokens[^1]) ? tokens[..^1] : tokens;
        var response = await decoder.DecodeAsync(new(textTokens));
        IReadOnlyList<string>? pipeline = request.Extractors.IsDefaultOrEmpty ? null : request.Extractors;
        var extracted = AnswerExtractor.Extract(response, pipeline);
        return new SampleResult
        {
            Key = request.Key,
            Prompt = request.BasePrompt,
            GuidePrompt = request.ChatPrompt,
            Response = response,
            Extracted = extracted,
            Gold = request.Gold,
            Correct = extracted is not null && MathGrader.AreEquivalent(request.Gold, extracted),
            Truncated = sequence.FinishReason == FinishReason.Length,
            PromptTokens = promptTokens,
            ResponseTokens = tokens.Length,
            Takeovers = sequence.Takeovers,
            Rho = sequence.Rho,
            GuideForwardPasses = runner.GuideConsultations,
            Subject = request.Subject,
            Level = request.Level,
            Seed = request.Decode.Seed,
            ResponseTokenIds = [.. tokens],
            LaneId = lane,
            Scores = request.Decode.KeepScores ? [.. sequence.Trace.Select(t => t.Score)] : [],
        };
    }
}
