using System.Text.RegularExpressions;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Splits `--arms`: arms are comma-separated, but an arm's own parameters are too (guided@tau=2,lambda=1.2);
/// a part starts a new arm only when it begins with an arm kind (letters, then '@' or the end).
/// </summary>
public static partial class ArmList
{
    public static IReadOnlyList<string> Split(string text)
    {
        var arms = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (arms.Count == 0 || ArmStart().IsMatch(part))
            {
                arms.Add(part);
            }
            else
            {
                arms[^1] += "," + part;
            }
        }
        return arms.Count > 0 ? arms : throw new ArgumentException("--arms is empty; pass e.g. --arms base,guide,guided,random");
    }

    [GeneratedRegex("^[A-Za-z]+(@|$)")]
    private static partial Regex ArmStart();
}
