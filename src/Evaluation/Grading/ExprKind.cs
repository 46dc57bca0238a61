namespace EvalCluster.Evaluation.Grading;

/// <summary>Node kinds of a parsed math expression.</summary>
public enum ExprKind
{
    Number,
    Variable,
    Constant,
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Negate,
    Factorial,
    Function,
}
