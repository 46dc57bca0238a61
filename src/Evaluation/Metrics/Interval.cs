namespace EvalCluster.Evaluation.Metrics;

/// <summary>A point estimate with a 95% interval.</summary>
public readonly record struct Interval(double Value, double Low, double High);
