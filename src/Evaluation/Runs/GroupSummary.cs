namespace EvalCluster.Evaluation.Runs;

/// <summary>Accuracy of one subject or level within an arm (n samples over problems), with its bootstrap 95% interval over problems.</summary>
public sealed record GroupSummary(int N, int Problems, double Accuracy, double CiLow, double CiHigh);
