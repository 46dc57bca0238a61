using System.Globalization;

namespace EvalCluster.ToyPlan;

/// <summary>
/// One planning-arithmetic problem: three single-digit values and a structure. The solution reads
/// <c>plan b*c; 7*2=14; 3+14=17; \boxed{17}</c>; the character at <see cref="PlanIndex"/> (a or b)
/// is the planning decision, and everything after it follows from it.
/// </summary>
public sealed record PlanProblem(PlanStructure Structure, int A, int B, int C)
{
    /// <summary>Index in the solution of the one character that decides the plan.</summary>
    public const int PlanIndex = 5;

    /// <summary>The problem text; the task's prompt is this plus a newline.</summary>
    public string Problem => $"a={A} b={B} c={C} find {Structure.Expression}";

    /// <summary>The correct final answer.</summary>
    public string Answer => Format(Evaluate(Structure.LeftPairFirst));

    /// <summary>The solution that follows the correct plan.</summary>
    public string Solution => WriteSolution(Structure.LeftPairFirst);

    /// <summary>The solution that follows the other plan, computed consistently; its answer is wrong.</summary>
    public string WrongSolution => WriteSolution(!Structure.LeftPairFirst);

    /// <summary>The answer reached by the wrong plan.</summary>
    public string WrongAnswer => Format(Evaluate(!Structure.LeftPairFirst));

    private int Evaluate(bool leftFirst)
    {
        return leftFirst
            ? Apply(Apply(A, Structure.Op1, B), Structure.Op2, C)
            : Apply(A, Structure.Op1, Apply(B, Structure.Op2, C));
    }

    private string WriteSolution(bool leftFirst)
    {
        var (op1, op2) = (Structure.Op1, Structure.Op2);
        if (leftFirst)
        {
            var r1 = Apply(A, op1, B);
            var r2 = Apply(r1, op2, C);
            return $"plan a{op1}b; {A}{op1}{B}={Format(r1)}; {Format(r1)}{op2}{C}={Format(r2)}; \\boxed{{{Format(r2)}}}";
        }

        var s1 = Apply(B, op2, C);
        var s2 = Apply(A, op1, s1);
        return $"plan b{op2}c; {B}{op2}{C}={Format(s1)}; {A}{op1}{Format(s1)}={Format(s2)}; \\boxed{{{Format(s2)}}}";
    }

    private static int Apply(int x, char op, int y)
    {
        return op switch
        {
            '+' => x + y,
            '-' => x - y,
            '*' => x * y,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "only + - * are used"),
        };
    }

    private static string Format(int value)
    {
        return value.ToString(CultureInfo.InvariantCulture);
    }
}

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
