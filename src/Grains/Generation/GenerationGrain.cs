using System.Diagnostics;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Placement;
using EvalCluster.Inference;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// One (problem, sample, arm) on its lane's silo. The first call starts the generation as this activation's job
/// and every call (the first included) waits for it only up to the caller's bound, so no call outlives a response
/// timeout however long the generation takes. The job builds the step machine, runs it against the lane's model
/// grains and grades the answer (<see cref="GenerationResults"/>); a sample the model cannot take (prompt longer than
/// its context, an inference error) becomes a failed result with its reason instead of an exception.
/// </summary>
[LanePlacement]
internal sealed class GenerationGrain(IGrainFactory grains, ILocalSiloDetails silo, ClusterInstruments instruments)
    : Grain, IGenerationGrain
{
    private readonly CancellationTokenSource _stop = new();
    private Task<GenerationResult>? _job;

    public async Task<GenerationResult?> GenerateAsync(GenerationRequest request, TimeSpan maxWait)
    {
        _job ??= RunAsync(request, _stop.Token);
        using var wait = new CancellationTokenSource();
        var first = await Task.WhenAny(_job, Task.Delay(maxWait, wait.Token));
        await wait.CancelAsync();
        if (first != _job)
        {
            return null;
        }
        // One activation per result key: once its result has been handed out there is nothing to keep.
        DeactivateOnIdle();
        return await _job;
    }

    public async Task CancelAsync()
    {
        await _stop.CancelAsync();
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        _stop.Dispose();
    }

    /// <summary>Fault injection for the fleet tests: a silo started with this variable set to a problem id ends its
    /// process abruptly when a generation of that problem starts, as a sample that runs the machine out of memory would.</summary>
    public const string CrashOnProblemVariable = "EVALCLUSTER_FAULT_CRASH_ON_PROBLEM";

    private static readonly string? CrashOnProblem = Environment.GetEnvironmentVariable(CrashOnProblemVariable);

    private async Task<GenerationResult> RunAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        if (CrashOnProblem is not null && request.Key.ProblemId == CrashOnProblem)
        {
            Environment.FailFast($"{CrashOnProblemVariable}: a generation of problem {CrashOnProblem} started");
        }
        var started = Stopwatch.GetTimestamp();
        var lane = LaneKeys.LaneOf(this.GetPrimaryKeyString());
        var failed = new GenerationResult { Key = request.Key, Lane = lane, Silo = silo.Name };
        instruments.GenerationStarted(lane);
        try
        {
            var spec = SequenceFactory.ResolveArm(request.ArmSpec, request.Decode);
            var baseModel = grains.GetGrain<IModelGrain>(LaneKeys.Model(lane, ModelRoles.Base));
            // The reference arm is "the guide alone" run on the lane's reference model (same chat template rule).
            var guideModel = grains.GetGrain<IModelGrain>(LaneKeys.Model(lane, spec.OnReferenceModel ? ModelRoles.Reference : ModelRoles.Guide));
            var usesBase = spec.Models.HasFlag(ArmModels.Base);
            var usesGuide = spec.Models.HasFlag(ArmModels.Guide);
            var baseInfo = usesBase ? await baseModel.GetInfoAsync() : null;
            var guideInfo = usesGuide ? await guideModel.GetInfoAsync() : null;
            var eos = (baseInfo?.EosIds ?? []).Concat(guideInfo?.EosIds ?? []).ToHashSet();
            var basePrompt = usesBase ? (await baseModel.EncodePromptAsync(request.BasePrompt)).Value : [];
            var guidePrompt = usesGuide ? (await guideModel.EncodePromptAsync(request.ChatPrompt)).Value : [];
            if ((GenerationResults.ContextError(baseInfo, basePrompt.Length, request.Decode.MaxNewTokens)
                ?? GenerationResults.ContextError(guideInfo, guidePrompt.Length, request.Decode.MaxNewTokens)) is { } tooLong)
            {
                return failed with { Error = tooLong, PromptTokens = usesBase ? basePrompt.Length : guidePrompt.Length };
            }
            var sequence = SequenceFactory.Create(request, eos);
            var runner = new LaneSequenceRunner(baseModel, guideModel);
            var clock = new TokenClock(instruments, lane, request.Key.Arm, spec.Models, baseInfo?.Name ?? "", guideInfo?.Name ?? "");
            double? firstToken = null;
            await runner.RunAsync(sequence, basePrompt, guidePrompt, decision =>
            {
                firstToken ??= Stopwatch.GetElapsedTime(started).TotalSeconds;
                clock.OnToken(decision);
            }, cancellationToken);
            instruments.GuideConsulted(runner.GuideConsultations, guideInfo?.Name ?? "", request.Key.Arm, lane);
            var result = await GenerationResults.GradeAsync(request, sequence, usesBase ? baseModel : guideModel, eos,
                usesBase ? basePrompt.Length : guidePrompt.Length, runner.GuideConsultations);
            instruments.SampleGraded(request.RunId, request.Key, lane, result.Correct);
            return result with
            {
                Lane = lane,
                Silo = silo.Name,
                FirstTokenS = firstToken ?? 0,
                TotalS = Stopwatch.GetElapsedTime(started).TotalSeconds,
            };
        }
        catch (InferenceException ex)
        {
            return failed with { Error = ex.Message, TotalS = Stopwatch.GetElapsedTime(started).TotalSeconds };
        }
        finally
        {
            instruments.GenerationEnded(lane);
        }
    }
}
