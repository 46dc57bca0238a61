namespace EvalCluster.Evaluation.Toy;

/// <summary>
/// One training example: the problem, and the plan the base model is taught for it (drawn from the
/// structure's lean, so it is often the wrong plan, followed by consistent arithmetic).
/// </summary>
public sealed record PlanTrainingRow(string Id, PlanProblem Problem, bool BaseUsesCorrectPlan)
{
    /// <summary>The solution text the base model learns for this example.</summary>
    public string BaseSolution => BaseUsesCorrectPlan ? Problem.Solution : Problem.WrongSolution;
}
