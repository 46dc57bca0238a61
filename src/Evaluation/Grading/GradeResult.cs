namespace EvalCluster.Evaluation.Grading;

/// <summary>The verdict of one comparison with what each side was parsed as; TimedOut means graded unequal by the time limit.</summary>
public sealed record GradeResult(bool Equal, string GoldParsed, string PredictionParsed, bool TimedOut = false);
