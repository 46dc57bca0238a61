using System.Text;
using EvalCluster.Inference.Calibration;

namespace EvalCluster.Inference.Gates;

/// <summary>
/// The arms of one run, and every rule between them, in one place: splitting `--arms`, parsing, expanding matched
/// arms (one per guided arm), checking that each arm's dependencies are in the list (a matched arm needs a guided arm,
/// an early arm sized by rho needs the base arm), and which models the lanes must host.
/// </summary>
/// <remarks>
/// Matched-arm naming: with one guided arm `random@match` (or bare `random`) keeps its name and follows it; with
/// several guided arms it becomes one arm per guided arm, named `random@match(GUIDED)`, e.g.
/// `random@match(guided@r=0.04)`. Reports read the family before '@'.
/// </remarks>
public sealed class ArmPlan
{
    private readonly Dictionary<string, ArmSpec> _byName;

    private ArmPlan(IReadOnlyList<ArmSpec> arms)
    {
        Arms = arms;
        _byName = arms.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ArmSpec> Arms { get; }

    public IReadOnlyList<string> Names => [.. Arms.Select(a => a.Name)];

    /// <summary>Whether some arm runs the lane's reference model (optional in a lane's configuration).</summary>
    public ArmSpec? ReferenceArm => Arms.FirstOrDefault(a => a.OnReferenceModel);

    public ArmSpec this[string name] => _byName.TryGetValue(name, out var spec)
        ? spec
        : throw new InferenceException($"arm '{name}' is not part of this run ({string.Join(", ", _byName.Keys)}).");

    /// <summary>Parses and checks a comma-separated arm list (`--arms`).</summary>
    public static ArmPlan Parse(string text) => Create(Split(text));

    /// <summary>Parses and checks arm texts; matched arms are expanded per guided arm.</summary>
    public static ArmPlan Create(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
        {
            throw new InferenceException("--arms is empty; pass e.g. --arms base,guide,guided,random");
        }
        var parsed = texts.Select(ArmSpecParser.Parse).ToList();
        var guided = parsed.Where(a => a.Kind == ArmKind.Guided).Select(a => a.Name).ToList();
        var arms = new List<ArmSpec>();
        foreach (var arm in parsed)
        {
            if (!arm.Matched)
            {
                arms.Add(arm);
            }
            else if (arm.MatchedTo is { } target)
            {
                arms.Add(guided.Contains(target) ? arm : throw new InferenceException(
                    $"arm '{arm.Name}' follows '{target}', which is not in --arms; add it or write one of {string.Join(", ", guided.DefaultIfEmpty("guided"))}."));
            }
            else if (guided.Count == 0)
            {
                throw new InferenceException($"arm '{arm.Name}' takes the guided arm's realised rho; add guided to --arms or write {arm.Kind.ToString().ToLowerInvariant()}@0.05.");
            }
            else if (guided.Count == 1)
            {
                arms.Add(arm with { MatchedTo = guided[0] });
            }
            else
            {
                var family = arm.Kind.ToString().ToLowerInvariant();
                arms.AddRange(guided.Select(g => arm with { Name = $"{family}@{ArmSpecParser.MatchWord}({g})", MatchedTo = g }));
            }
        }
        if (arms.FirstOrDefault(a => a.NeedsBaseLength && a.EarlyTokens is null) is { } early && !arms.Any(a => a.Kind == ArmKind.Base))
        {
            throw new InferenceException($"arm '{early.Name}' takes k = rho x the base arm's response length; add base to --arms or give k (early@k=10).");
        }
        if (arms.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InferenceException($"arm '{twice.Key}' appears twice in --arms; list each arm once.");
        }
        return new ArmPlan(arms);
    }

    /// <summary>
    /// Splits `--arms`: arms are comma-separated, but an arm's own parameters are too (guided@tau=2,lambda=1.2) and so
    /// is the guided arm a matched arm names (random@match(guided@tau=2,lambda=1)): a part starts a new arm only
    /// outside parentheses and when it begins with an arm kind (letters, then '@' or the end).
    /// </summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        parts.Add(current.ToString().Trim());
        var arms = new List<string>();
        foreach (var part in parts.Where(p => p.Length > 0))
        {
            if (arms.Count == 0 || StartsArm(part))
            {
                arms.Add(part);
            }
            else
            {
                arms[^1] += "," + part;
            }
        }
        return arms;
    }

    /// <summary>
    /// Every guided arm with its calibration entry applied (the bare guided arm takes <paramref name="defaultR"/>).
    /// Throws when a guided arm has no thresholds and there is no calibration, or the file lacks its r.
    /// </summary>
    public ArmPlan WithCalibration(CalibrationFile? calibration, string? path, double? defaultR) =>
        new([.. Arms.Select(a => a.Kind != ArmKind.Guided ? a
            : calibration is not null ? a.WithCalibration(calibration, path ?? "calibration", defaultR)
            : a.Tau is not null && a.Lambda is not null && a.Window is not null ? a
            : throw new InferenceException($"arm '{a.Name}' needs tau, lambda and w: pass a calibration file (--calibration, made by `calibrate`) or write guided@tau=..,lambda=..,w=..."))]);

    private static bool StartsArm(string part)
    {
        var at = part.IndexOf('@');
        var head = at < 0 ? part : part[..at];
        return head.Length > 0 && head.All(char.IsLetter);
    }
}
