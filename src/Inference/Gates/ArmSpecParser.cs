using System.Globalization;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Gates;

/// <summary>
/// Parses an arm's text form: `kind[@value][,key=value...]` (the first value after @ may be a bare number, the
/// kind's main parameter). Keys: r, tau, lambda, w, h (pre-filter / entropy threshold), cap, k, rho, gamma, score.
/// `random@match` / `early@match` (bare `random` and `early` alike) take a guided arm's realised rho;
/// `random@match(GUIDED)` names which guided arm. Every value is range-checked here, once.
/// </summary>
public static class ArmSpecParser
{
    public const string MatchWord = "match";

    private const string Usage = "use base, guide, reference, guided[@r=..,tau=..,lambda=..,w=..,h=..,cap=..], random@RHO, random@match, early@RHO, early@k=K, early@match, entropy@TAU_H, nudging@GAMMA";

    public static ArmSpec Parse(string text)
    {
        var trimmed = text.Trim();
        var at = trimmed.IndexOf('@');
        var kindText = at < 0 ? trimmed : trimmed[..at];
        if (!Enum.TryParse<ArmKind>(kindText, ignoreCase: true, out var kind) || kindText.Any(c => !char.IsLetter(c)))
        {
            throw new InferenceException($"unknown arm '{text}'; {Usage}.");
        }
        var spec = new ArmSpec { Kind = kind, Name = trimmed.ToLowerInvariant(), Matched = at < 0 && kind is ArmKind.Random or ArmKind.Early };
        if (at < 0)
        {
            return Check(spec, text);
        }
        var rest = trimmed[(at + 1)..];
        if (rest.StartsWith(MatchWord, StringComparison.OrdinalIgnoreCase))
        {
            return ParseMatch(spec, rest[MatchWord.Length..], text);
        }
        foreach (var part in rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? MainKey(kind, text) : part[..eq].Trim().ToLowerInvariant();
            var value = eq < 0 ? part : part[(eq + 1)..].Trim();
            spec = Apply(spec, key, value, text);
        }
        return Check(spec, text);
    }

    // `match` or `match(GUIDED ARM TEXT)`; only random and early arms can be matched.
    private static ArmSpec ParseMatch(ArmSpec spec, string tail, string text)
    {
        if (spec.Kind is not (ArmKind.Random or ArmKind.Early))
        {
            throw new InferenceException($"arm '{text}': only random and early arms can be matched; {Usage}.");
        }
        string? target = null;
        if (tail.Length > 0)
        {
            if (!tail.StartsWith('(') || !tail.EndsWith(')') || tail.Length < 3)
            {
                throw new InferenceException($"arm '{text}': write {spec.Kind.ToString().ToLowerInvariant()}@match or {spec.Kind.ToString().ToLowerInvariant()}@match(GUIDED_ARM), e.g. random@match(guided@r=0.04).");
            }
            target = Parse(tail[1..^1]) is { Kind: ArmKind.Guided } guided
                ? guided.Name
                : throw new InferenceException($"arm '{text}': a matched arm follows a guided arm; write e.g. random@match(guided@r=0.04).");
        }
        return spec with { Matched = true, MatchedTo = target };
    }

    private static string MainKey(ArmKind kind, string text) => kind switch
    {
        ArmKind.Random or ArmKind.Early => "rho",
        ArmKind.Entropy => "h",
        ArmKind.Nudging => "gamma",
        ArmKind.Guided => "tau",
        _ => throw new InferenceException($"arm '{text}' takes no parameters; {Usage}."),
    };

    private static ArmSpec Apply(ArmSpec spec, string key, string value, string text) => key switch
    {
        "r" => spec.Kind == ArmKind.Guided ? spec with { R = Number(value, key, text) } : throw NotFor(key, "guided", text),
        "tau" => spec with { Tau = Number(value, key, text) },
        "lambda" => spec with { Lambda = Number(value, key, text) },
        "w" or "window" => spec with { Window = Integer(value, key, text) },
        "h" => spec.Kind == ArmKind.Entropy
            ? spec with { EntropyThreshold = Number(value, key, text) }
            : spec with { PrefilterEntropy = Number(value, key, text) },
        "cap" => spec with { Cap = Integer(value, key, text) },
        "k" => spec with { EarlyTokens = Integer(value, key, text) },
        "rho" => spec with { Rho = Number(value, key, text) },
        "gamma" => spec with { Gamma = Number(value, key, text) },
        "score" => spec with { Score = DivergenceScore.Parse(value) },
        _ => throw new InferenceException($"arm '{text}': unknown parameter '{key}'; {Usage}."),
    };

    private static InferenceException NotFor(string key, string kind, string text) =>
        new($"arm '{text}': parameter '{key}' belongs to {kind} arms; {Usage}.");

    private static double Number(string value, string key, string text) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new InferenceException($"arm '{text}': {key} '{value}' is not a finite number; write e.g. {key}=0.1.");

    private static int Integer(string value, string key, string text) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InferenceException($"arm '{text}': {key} '{value}' is not a whole number; write e.g. {key}=8.");

    private static ArmSpec Check(ArmSpec spec, string text)
    {
        var bad = spec.Kind switch
        {
            ArmKind.Random when !spec.Matched && spec.Rho is <= 0 or > 1 => "random needs 0 < rho <= 1 (random@0.05) or match (random@match)",
            ArmKind.Early when !spec.Matched && spec.EarlyTokens is null && spec.Rho is <= 0 or > 1 => "early needs 0 < rho <= 1, k or match (early@0.25, early@k=10, early@match)",
            ArmKind.Early when spec.Rho is < 0 or > 1 => "early needs 0 < rho <= 1 (early@0.25)",
            ArmKind.Nudging when spec.Gamma is <= 0 or > 1 => "nudging needs 0 < gamma <= 1 (nudging@0.4)",
            ArmKind.Entropy when spec.EntropyThreshold < 0 => "entropy needs a threshold >= 0 in nats (entropy@2.5)",
            _ when spec.R is { } r && !(r > 0 && r < 1) => "r must lie strictly between 0 and 1 (guided@r=0.04)",
            _ when spec.Tau is < 0 => "tau must be >= 0 (disagreement scores are non-negative)",
            _ when spec.Lambda is < 0 => "lambda must be >= 0",
            _ when spec.Window is < 1 => "w must be at least 1",
            _ when spec.PrefilterEntropy is < 0 => "h must be >= 0",
            _ when spec.EarlyTokens is < 0 => "k must be >= 0",
            _ when spec.Cap is < 0 => "cap must be >= 0",
            _ => null,
        };
        return bad is null ? spec : throw new InferenceException($"arm '{text}': {bad}.");
    }
}
