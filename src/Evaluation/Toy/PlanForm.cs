namespace EvalCluster.Evaluation.Toy;

/// <summary>How a three-operand expression is bracketed in the problem text.</summary>
public enum PlanForm
{
    /// <summary><c>(a o1 b) o2 c</c>: the left pair comes first.</summary>
    Left,

    /// <summary><c>a o1 (b o2 c)</c>: the right pair comes first.</summary>
    Right,

    /// <summary><c>a o1 b o2 c</c>: precedence decides (multiplication first, otherwise left to right).</summary>
    Flat,
}
