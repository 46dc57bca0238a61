namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// How reports group arms: the family is the text before '@' (`guided@r=0.04` is a guided arm). A matched
/// baseline names the guided arm it is matched to in parentheses (`random@match(guided@r=0.04)`); a bare
/// `random`/`early` is matched to the run's only guided arm.
/// </summary>
public static class ArmFamilies
{
    public const string Base = "base";
    public const string Guide = "guide";
    public const string Reference = "reference";
    public const string Guided = "guided";
    public const string Random = "random";
    public const string Early = "early";

    private static readonly string[] FamilyOrder = [Base, Reference, Guide, Guided, Random, Early, "entropy", "nudging"];

    /// <summary>Report order: base, reference, guide, guided, random, early, entropy, nudging, then others; by name within a family.</summary>
    public static IEnumerable<string> Order(IEnumerable<string> arms) =>
        arms.OrderBy(a => Array.IndexOf(FamilyOrder, Family(a)) is var i && i >= 0 ? i : FamilyOrder.Length)
            .ThenBy(a => Family(a), StringComparer.Ordinal).ThenBy(a => a, StringComparer.Ordinal);

    public static string Family(string arm)
    {
        var at = arm.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? arm : arm[..at];
    }

    /// <summary>The guided arm a random/early arm is matched to, when the run has it; null otherwise.</summary>
    public static string? MatchedGuided(string arm, IReadOnlyCollection<string> arms)
    {
        var family = Family(arm);
        if (family is not (Random or Early))
        {
            return null;
        }
        var open = arm.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0 && arm.EndsWith(')'))
        {
            var inner = arm[(open + 1)..^1];
            return arms.Contains(inner) ? inner : null;
        }
        var guided = arms.Where(a => Family(a) == Guided).ToList();
        return guided.Count == 1 && (arm == family || arm.EndsWith("@match", StringComparison.Ordinal)) ? guided[0] : null;
    }
}
