using System.Globalization;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Gates;

/// <summary>
/// Parses an arm's text form: `kind[@value][,key=value...]` (the first value after @ may be a bare number, the
/// kind's main parameter). Keys: tau, lambda, w, h (pre-filter / entropy threshold), cap, k, rho, gamma, score.
/// </summary>
public static class ArmSpecParser
{
    private const string Usage = "use base, guide, reference, guided[@tau=..,lambda=..,w=..,h=..,cap=..], random@RHO, early@RHO or early@k=K, entropy@TAU_H, nudging@GAMMA";

    public static ArmSpec Parse(string text)
    {
        var trimmed = text.Trim();
        var at = trimmed.IndexOf('@');
        var kindText = at < 0 ? trimmed : trimmed[..at];
        if (!Enum.TryParse<ArmKind>(kindText, ignoreCase: true, out var kind) || kindText.Any(char.IsDigit))
        {
            throw new InferenceException($"unknown arm '{text}'; {Usage}.");
        }
        var spec = new ArmSpec { Kind = kind, Name = trimmed.ToLowerInvariant() };
        if (at < 0)
        {
            return Check(spec, text);
        }
        foreach (var part in trimmed[(at + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? MainKey(kind, text) : part[..eq].Trim().ToLowerInvariant();
            var value = eq < 0 ? part : part[(eq + 1)..].Trim();
            spec = Apply(spec, key, value, text);
        }
        return Check(spec, text);
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
        "tau" => spec with { Tau = Number(value, key, text) },
        "lambda" => spec with { Lambda = Number(value, key, text) },
        "w" or "window" => spec with { Window = (int)Number(value, key, text) },
        "h" => spec.Kind == ArmKind.Entropy
            ? spec with { EntropyThreshold = Number(value, key, text) }
            : spec with { PrefilterEntropy = Number(value, key, text) },
        "cap" => spec with { Cap = (int)Number(value, key, text) },
        "k" => spec with { EarlyTokens = (int)Number(value, key, text) },
        "rho" => spec with { Rho = Number(value, key, text) },
        "gamma" => spec with { Gamma = Number(value, key, text) },
        "score" => spec with { Score = DivergenceScore.Parse(value) },
        _ => throw new InferenceException($"arm '{text}': unknown parameter '{key}'; {Usage}."),
    };

    private static double Number(string value, string key, string text) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InferenceException($"arm '{text}': {key} '{value}' is not a number; write e.g. {key}=0.1.");

    private static ArmSpec Check(ArmSpec spec, string text)
    {
        var bad = spec.Kind switch
        {
            ArmKind.Random when spec.Rho is <= 0 or > 1 => "random needs 0 < rho <= 1 (random@0.05)",
            ArmKind.Early when spec.EarlyTokens is null && spec.Rho is <= 0 or > 1 => "early needs 0 < rho <= 1 or k (early@0.25, early@k=10)",
            ArmKind.Nudging when spec.Gamma is <= 0 or > 1 => "nudging needs 0 < gamma <= 1 (nudging@0.4)",
            _ when spec.Cap is < 0 => "cap must be >= 0",
            _ => null,
        };
        return bad is null ? spec : throw new InferenceException($"arm '{text}': {bad}.");
    }
}
