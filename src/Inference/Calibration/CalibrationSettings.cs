using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Calibration;

/// <summary>How to calibrate: spike ratio r, window W, optional fixed lambda, score kind, and the base rollouts' decoding.</summary>
public sealed record CalibrationSettings(
    double R,
    int Window,
    double? Lambda = null,
    DivergenceKind Score = DivergenceKind.CrossEntropy,
    int MaxNewTokens = 256,
    SamplingOptions? Sampling = null,
    ulong Seed = 0,
    int BatchSize = 8);
