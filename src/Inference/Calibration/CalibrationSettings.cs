using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Calibration;

/// <summary>
/// How to calibrate: spike ratios r (one entry each), window W, optional fixed lambda, score kind, the base
/// rollouts' decoding (with the task's stop strings), and the task (with its prompt-template hash) whose prompts
/// render the problems.
/// </summary>
public sealed record CalibrationSettings(
    IReadOnlyList<double> Rs,
    int Window,
    double? Lambda = null,
    DivergenceKind Score = DivergenceKind.CrossEntropy,
    int MaxNewTokens = 256,
    SamplingOptions? Sampling = null,
    ulong Seed = 0,
    int BatchSize = 8,
    string? Task = null,
    string? PromptTemplateSha256 = null,
    IReadOnlyList<string>? Stop = null);
