namespace EvalCluster.Evaluation.Runs;

/// <summary>Accuracy of one subject or level within an arm, with its Wilson 95% interval.</summary>
public sealed record GroupSummary(int N, double Accuracy, double CiLow, double CiHigh);
