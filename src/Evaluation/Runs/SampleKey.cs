namespace EvalCluster.Evaluation.Runs;

/// <summary>Identity of one result in a run: resuming skips keys already recorded.</summary>
public readonly record struct SampleKey(string Task, string ProblemId, int Sample, string Arm);
