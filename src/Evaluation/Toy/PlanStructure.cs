namespace EvalCluster.Evaluation.Toy;

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
