namespace EvalCluster.Evaluation.Toy;

/// <summary>
/// The 18 structures of the planning-arithmetic task: three bracketings times the six operator pairs for
/// which the two possible plans give different answers (++, ** and +- are associative, so they are left out).
/// </summary>
public static class PlanStructures
{
    private static readonly (char Op1, char Op2)[] _operatorPairs =
    [
        ('+', '*'), ('*', '+'), ('-', '*'), ('*', '-'), ('-', '-'), ('-', '+'),
    ];

    /// <summary>All structures, in a fixed order; the index is stable and used in problem ids.</summary>
    public static IReadOnlyList<PlanStructure> All { get; } = Build();

    private static PlanStructure[] Build()
    {
        var forms = new[] { PlanForm.Flat, PlanForm.Left, PlanForm.Right };
        var result = new List<PlanStructure>();
        foreach (var form in forms)
        {
            foreach (var (op1, op2) in _operatorPairs)
            {
                result.Add(new PlanStructure(result.Count, form, op1, op2));
            }
        }

        return [.. result];
    }
}
