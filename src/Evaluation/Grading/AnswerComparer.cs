namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Structural comparison of two <see cref="AnswerNode"/>s (gold first). Lists: ordered ones elementwise with
/// the same brackets (so [1,2) differs from [1,2]), unordered ones as multisets; a bare list matches a
/// bracketed tuple in order. Relations: "x = 3" matches "3" and "x = 3"; two equations match when one is a
/// non-zero multiple of the other; "x \in [a,b]" matches "[a,b]". Choices by letter, text by key.
/// </summary>
public static class AnswerComparer
{
    public static bool Equal(AnswerNode gold, AnswerNode prediction, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (gold.Key == prediction.Key)
        {
            return true;
        }
        gold = Unwrap(gold);
        prediction = Unwrap(prediction);
        return (gold, prediction) switch
        {
            (ListNode g, ListNode p) => Lists(g, p, cancel),
            (MatrixNode g, MatrixNode p) => g.Rows.Count == p.Rows.Count
                && g.Rows.Zip(p.Rows).All(r => r.First.Count == r.Second.Count && r.First.Zip(r.Second).All(c => Equal(c.First, c.Second, cancel))),
            (RelationNode g, RelationNode p) => Relations(g, p, cancel),
            (RelationNode { Relation: "=" or "\\in", LoneVariable: not null } g, _) when prediction is not RelationNode => Equal(g.Right, prediction, cancel),
            (_, RelationNode { Relation: "=" or "\\in", LoneVariable: not null } p) => Equal(gold, p.Right, cancel),
            (ChoiceNode g, ChoiceNode p) => g.Letter == p.Letter,
            (ScalarNode g, ScalarNode p) => ScalarComparer.Equal(g, p, cancel),
            _ => false,
        };
    }

    private static AnswerNode Unwrap(AnswerNode node) => node is ListNode { Items.Count: 1, Ordered: false } l ? l.Items[0] : node;

    private static bool Lists(ListNode g, ListNode p, CancellationToken cancel)
    {
        if (g.Items.Count != p.Items.Count)
        {
            return false;
        }
        if (g.Ordered && p.Ordered && (g.Open != p.Open || g.Close != p.Close))
        {
            return false;
        }
        if (g.Ordered || p.Ordered)
        {
            return g.Items.Zip(p.Items).All(x => Equal(x.First, x.Second, cancel));
        }
        var used = new bool[p.Items.Count];
        foreach (var item in g.Items)
        {
            var match = -1;
            for (var j = 0; j < p.Items.Count && match < 0; j++)
            {
                if (!used[j] && Equal(item, p.Items[j], cancel))
                {
                    match = j;
                }
            }
            if (match < 0)
            {
                return false;
            }
            used[match] = true;
        }
        return true;
    }

    private static bool Relations(RelationNode g, RelationNode p, CancellationToken cancel)
    {
        if (g.Relation != p.Relation)
        {
            return false;
        }
        if (g.LoneVariable is not null && g.LoneVariable == p.LoneVariable)
        {
            return Equal(g.Right, p.Right, cancel);
        }
        if (g.Relation == "=" && Difference(g) is { } dg && Difference(p) is { } dp)
        {
            var variables = dg.Variables();
            return variables.Count > 0 && variables.SequenceEqual(dp.Variables()) && Proportional(dg, dp, variables, cancel);
        }
        return Equal(g.Left, p.Left, cancel) && Equal(g.Right, p.Right, cancel);
    }

    private static Expr? Difference(RelationNode r) =>
        r is { Left: ScalarNode { Expr: { } l }, Right: ScalarNode { Expr: { } rt } } ? Expr.Op(ExprKind.Subtract, l, rt) : null;

    // b = c * a for one constant c != 0 across random points: x - y = 1 matches 2x - 2y = 2.
    private static bool Proportional(Expr a, Expr b, IReadOnlyList<string> variables, CancellationToken cancel)
    {
        double? ratio = null;
        return RandomPoints.AllAgree(a, b, variables, (x, y) =>
        {
            if (Math.Abs(x) < 1e-12)
            {
                return Math.Abs(y) < 1e-12;
            }
            var r = y / x;
            ratio ??= r;
            return r != 0 && ScalarComparer.Close(r, ratio.Value);
        }, cancel);
    }
}
