using EvalCluster.Contracts.Generation;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Grains.Generation;

/// <summary>
/// Builds the method's step machine for one request: the arm (the coordinator sends it resolved; run-wide values
/// fill only what the arm text leaves open), its gate, and the random streams derived from (run seed, problem,
/// sample, arm). The cluster and the single-process reference build sequences here, so equal inputs give equal tokens.
/// </summary>
public static class SequenceFactory
{
    public static ArmSpec ResolveArm(string armText, DecodeSettings settings)
    {
        var spec = ArmSpec.Parse(armText);
        if (spec.Kind != ArmKind.Guided)
        {
            return spec with { Cap = spec.Cap ?? settings.Cap };
        }
        return spec with
        {
            Tau = spec.Tau ?? settings.Tau,
            Lambda = spec.Lambda ?? settings.Lambda,
            Window = spec.Window ?? settings.Window,
            Score = spec.Score ?? (settings.Score is { } score ? DivergenceScore.Parse(score) : null),
            Cap = spec.Cap ?? settings.Cap,
        };
    }

    public static GuidedSequence Create(GenerationRequest request, IReadOnlySet<int> eosIds)
    {
        var d = request.Decode;
        var spec = ResolveArm(request.ArmSpec, d);
        var key = request.Key;
        var seed = (ulong)d.Seed;
        var gate = GateFactory.Create(spec, SequenceRandom.DeriveSeed(seed, key.ProblemId, key.Sample, key.Arm + "/gate"), request.BaseResponseLength);
        var sampling = new SamplingOptions(d.Temperature, d.TopP);
        var rng = SequenceRandom.Derive(seed, key.ProblemId, key.Sample, key.Arm);
        return new GuidedSequence(gate, spec.ScoreKind, sampling, rng, d.MaxNewTokens, eosIds, spec.Cap) { StopStrings = d.Stop };
    }
}
