namespace EvalCluster.Evaluation.Toy;

/// <summary>The three splits of the planning-arithmetic task; test and calibration never share a problem with train.</summary>
public sealed record PlanDataset(
    IReadOnlyList<PlanTrainingRow> Train,
    IReadOnlyList<(string Id, PlanProblem Problem)> Calibration,
    IReadOnlyList<(string Id, PlanProblem Problem)> Test);
