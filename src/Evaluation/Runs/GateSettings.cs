namespace EvalCluster.Evaluation.Runs;

/// <summary>The takeover gate of a run as recorded in its manifest (score, spike ratio, window, calibration).</summary>
public sealed record GateSettings
{
    public string Score { get; init; } = "ce";

    public double SpikeRatio { get; init; }

    public int Window { get; init; }

    public double? Tau { get; init; }

    public double? Lambda { get; init; }

    public int? MaxTakeovers { get; init; }
}
