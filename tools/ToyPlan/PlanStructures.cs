namespace EvalCluster.ToyPlan;

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

/// <summary>
/// One problem structure: a bracketing and two operators. The plan decision of its solution is which
/// pair of operands to combine first; <see cref="BaseFavoursCorrectPlan"/> says which way the base
/// model's training data leans for this structure.
/// </summary>
public sealed record PlanStructure(int Index, PlanForm Form, char Op1, char Op2)
{
    /// <summary>The expression as written in the problem, over the variables a, b and c.</summary>
    public string Expression => Form switch
    {
        PlanForm.Left => $"(a{Op1}b){Op2}c",
        PlanForm.Right => $"a{Op1}(b{Op2}c)",
        _ => $"a{Op1}b{Op2}c",
    };

    /// <summary>True when the correct plan combines a and b first.</summary>
    public bool LeftPairFirst => Form switch
    {
        PlanForm.Left => true,
        PlanForm.Right => false,
        _ => !(Op2 == '*' && Op1 != '*'),
    };

    /// <summary>
    /// Half of the structures lean towards the correct plan in the base's training data and half towards
    /// the wrong one, so the base's greedy accuracy lands near 50% by construction, not by seed luck.
    /// </summary>
    public bool BaseFavoursCorrectPlan => Index % 2 == 0;
}
