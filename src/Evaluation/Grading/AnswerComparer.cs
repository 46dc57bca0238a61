using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Structural comparison of two <see cref="AnswerNode"/>s, the gold answer leading where Math-Verify's
/// verify(gold, prediction) is one-sided:
/// a chain of equalities or \approx is its final value ("x = 2 + 7 = 9" is the assignment x = 9);
/// a prediction equation against a gold non-equation is its right side; a gold assignment ("x = 7",
/// "(a, b) = (4, 1)") against a bare prediction is its value; a gold inequality (chain) against an
/// interval is the interval it describes (not the other way round); "3,75" reads as 3.75 only against a
/// single gold value. Lists: ordered ones elementwise with the same brackets, unordered ones as sets,
/// a bare list against a tuple in order. Inequalities equal their mirrored form, their form with both
/// sides negated and positive multiples; equations equal non-zero multiples. Matrices entry by entry.
/// </summary>
public static partial class AnswerComparer
{
    public static bool Equal(AnswerNode gold, AnswerNode prediction, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (gold.Key == prediction.Key)
        {
            return true;
        }
        gold = Simplify(gold, cancel);
        prediction = Simplify(prediction, cancel);
        var goldEquation = gold is RelationNode { IsEquation: true } or RelationNode { IsAssignment: true };
        if (prediction is RelationNode p0 && (p0.IsEquation || p0.IsAssignment) && !goldEquation)
        {
            return gold is RelationNode g0 && p0.Relation == "\\in" ? Interval(g0) is { } gi && Equal(gi, p0.Right, cancel) : Equal(gold, p0.Right, cancel);
        }
        if (gold is RelationNode { IsAssignment: true } ga && prediction is not RelationNode)
        {
            return Equal(ga.Right, prediction, cancel);
        }
        if (gold is RelationNode gr && !goldEquation && prediction is ListNode { Ordered: true } && Interval(gr) is { } interval)
        {
            return Equal(interval, prediction, cancel);
        }
        if (gold is ScalarNode && prediction is ListNode { Ordered: false, Items.Count: 2 } dc && DecimalComma().IsMatch(dc.Text))
        {
            var value = dc.Text.Replace(',', '.');
            return Equal(gold, new ScalarNode(value, LatexParser.TryParse(value, cancel), false), cancel);
        }
        return (gold, prediction) switch
        {
            (ListNode g, ListNode p) => Lists(g, p, cancel),
            (MatrixNode g, MatrixNode p) => g.Rows.Count == p.Rows.Count
                && g.Rows.Zip(p.Rows).All(r => r.First.Count == r.Second.Count && r.First.Zip(r.Second).All(c => Equal(c.First, c.Second, cancel))),
            (RelationNode g, RelationNode p) => Relations(g, p, cancel),
            (ChoiceNode g, ChoiceNode p) => g.Letter == p.Letter,
            (ScalarNode g, ScalarNode p) => ScalarComparer.Equal(g, p, cancel),
            _ => false,
        };
    }

    // A set holds each value once and a one-item set is its item ("\boxed{15\frac{39}{40}} or \boxed{\frac{639}{40}}"
    // is one value); an equality/\approx chain is its final value, or "name = final value".
    private static AnswerNode Simplify(AnswerNode node, CancellationToken cancel) => node switch
    {
        ListNode { Ordered: false, Items.Count: > 1 } l when Distinct(l.Items, cancel) is { Count: 1 } one => Simplify(one[0], cancel),
        ListNode { Items.Count: 1, Ordered: false } l => Simplify(l.Items[0], cancel),
        RelationNode { IsEquation: true } r when r.Relations.Count > 1 || r.Relation == "\\approx" =>
            r.IsAssignment ? new RelationNode(r.Text, r.Left, "=", r.Right) : r.Right,
        _ => node,
    };

    private static List<AnswerNode> Distinct(IReadOnlyList<AnswerNode> items, CancellationToken cancel)
    {
        var distinct = new List<AnswerNode>();
        foreach (var item in items)
        {
            if (!distinct.Any(d => Equal(d, item, cancel)))
            {
                distinct.Add(item);
            }
        }
        return distinct;
    }

    private static bool Lists(ListNode g, ListNode p, CancellationToken cancel)
    {
        if (!g.Ordered && !p.Ordered)
        {
            // Sets hold each value once: {1, 2} is {2, 1, 2}.
            g = g with { Items = Distinct(g.Items, cancel) };
            p = p with { Items = Distinct(p.Items, cancel) };
        }
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
        if (g.IsAssignment && p.IsAssignment)
        {
            return g.Left.Key == p.Left.Key && g.Relation == p.Relation && Equal(g.Right, p.Right, cancel);
        }
        if (g.Relations.Count > 1 || p.Relations.Count > 1)
        {
            return Interval(g) is { } gi && Interval(p) is { } pi ? Equal(gi, pi, cancel) : SameShape(g, p, cancel);
        }
        if (Canonical(g) is { } cg && Canonical(p) is { } cp)
        {
            if (cg.Kind != cp.Kind)
            {
                return false;
            }
            var variables = cg.Difference.Variables();
            return variables.SequenceEqual(cp.Difference.Variables())
                && Proportional(cg.Difference, cp.Difference, variables, positive: cg.Kind is "<" or "\\leq", cancel);
        }
        return SameShape(g, p, cancel);
    }

    private static bool SameShape(RelationNode g, RelationNode p, CancellationToken cancel) =>
        g.Relations.SequenceEqual(p.Relations) && g.Sides.Zip(p.Sides).All(s => Equal(s.First, s.Second, cancel));

    // Every relation as "difference KIND 0": a > b is b - a < 0, so mirrored and negated forms coincide.
    private static (Expr Difference, string Kind)? Canonical(RelationNode r)
    {
        if (r is not { Relation: { } relation, Left: ScalarNode { Expr: { } l }, Right: ScalarNode { Expr: { } rt } })
        {
            return null;
        }
        return relation switch
        {
            "=" or "\\ne" => (Expr.Op(ExprKind.Subtract, l, rt), relation),
            "<" or "\\leq" => (Expr.Op(ExprKind.Subtract, l, rt), relation),
            ">" => (Expr.Op(ExprKind.Subtract, rt, l), "<"),
            "\\geq" => (Expr.Op(ExprKind.Subtract, rt, l), "\\leq"),
            _ => null,
        };
    }

    /// <summary>The interval an inequality in one variable describes: "x &gt; 2" is (2, \infty), "1 &lt; x \leq 3" is (1, 3].</summary>
    public static ListNode? Interval(RelationNode r)
    {
        if (r.Relations.Count == 1)
        {
            return (Name(r.Left), Name(r.Right), r.Relations[0]) switch
            {
                (true, false, var rel) when Constant(r.Right) => Bounds(r, rel is "<" or "\\leq" ? null : r.Right, rel is "<" or "\\leq" ? r.Right : null, rel),
                (false, true, var rel) when Constant(r.Left) => Bounds(r, rel is "<" or "\\leq" ? r.Left : null, rel is "<" or "\\leq" ? null : r.Left, Mirror(rel)),
                _ => null,
            };
        }
        if (r.Relations.Count != 2 || !Name(r.Sides[1]) || !Constant(r.Sides[0]) || !Constant(r.Sides[2]))
        {
            return null;
        }
        var (a, b) = (r.Relations[0], r.Relations[1]);
        if (a is "<" or "\\leq" && b is "<" or "\\leq")
        {
            return Make(r, r.Sides[0], a == "<", r.Sides[2], b == "<");
        }
        if (a is ">" or "\\geq" && b is ">" or "\\geq")
        {
            return Make(r, r.Sides[2], b == ">", r.Sides[0], a == ">");
        }
        return null;
    }

    // x REL bound, with x on the left: "<" gives (-inf, bound), ">" gives (bound, inf).
    private static ListNode? Bounds(RelationNode r, AnswerNode? low, AnswerNode? high, string rel) => rel switch
    {
        "<" or "\\leq" => Make(r, Infinity(negative: true), true, high!, rel == "<"),
        ">" or "\\geq" => Make(r, low!, rel == ">", Infinity(negative: false), true),
        _ => null,
    };

    private static string Mirror(string rel) => rel switch { "<" => ">", ">" => "<", "\\leq" => "\\geq", "\\geq" => "\\leq", _ => rel };

    private static ListNode Make(RelationNode r, AnswerNode low, bool openLow, AnswerNode high, bool openHigh) =>
        new(r.Text, [low, high], openLow ? "(" : "[", openHigh ? ")" : "]", Ordered: true);

    private static ScalarNode Infinity(bool negative)
    {
        var inf = Expr.Const("inf");
        return new ScalarNode(negative ? "-\\infty" : "\\infty", negative ? Expr.Op(ExprKind.Negate, inf) : inf, false);
    }

    private static bool Name(AnswerNode n) => n is ScalarNode { Expr.Kind: ExprKind.Variable };

    private static bool Constant(AnswerNode n) => n is ScalarNode { Expr: { } e } && e.Variables().Count == 0;

    // b = c * a for one constant c (c > 0 when `positive`) across random points: x - y = 1 matches 2x - 2y = 2.
    private static bool Proportional(Expr a, Expr b, IReadOnlyList<string> variables, bool positive, CancellationToken cancel)
    {
        double? ratio = null;
        return variables.Count > 0 && RandomPoints.AllAgree(a, b, variables, (x, y) =>
        {
            if (Math.Abs(x) < 1e-12)
            {
                return Math.Abs(y) < 1e-12;
            }
            var r = y / x;
            ratio ??= r;
            return r != 0 && (!positive || r > 0) && ScalarComparer.Close(r, ratio.Value);
        }, cancel);
    }

    [GeneratedRegex(@"^-?\d+,\d+$")]
    private static partial Regex DecimalComma();
}
