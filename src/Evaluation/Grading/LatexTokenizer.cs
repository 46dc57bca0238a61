namespace EvalCluster.Evaluation.Grading;

/// <summary>Kinds of <see cref="LatexToken"/>.</summary>
public enum LatexTokenKind
{
    Number,
    Letter,
    Command,
    Symbol,
}

/// <summary>A token of a LaTeX math expression: a number, a letter, a command (without backslash) or a symbol.</summary>
public readonly record struct LatexToken(LatexTokenKind Kind, string Text);

/// <summary>
/// Splits normalised LaTeX into tokens. Unknown commands that start with a known one are split
/// ("\pix" -> \pi, x) because spaces were often lost; "1.5e3" is one number in scientific notation.
/// </summary>
public static class LatexTokenizer
{
    public static IReadOnlySet<string> KnownCommands { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "frac", "sqrt", "binom", "pi", "infty", "cdot", "times", "div", "sin", "cos", "tan", "cot", "sec", "csc",
        "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp", "lfloor", "rfloor", "lceil", "rceil",
        "alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "phi", "varphi", "psi", "omega", "sigma",
        "tau", "rho", "eta", "zeta", "xi", "nu", "kappa", "chi", "pm", "mp", "cup", "cap", "leq", "geq", "ne", "to",
        "Delta", "Omega", "Sigma", "Phi", "Gamma", "Theta", "Lambda", "Pi", "{", "}", "|", "e",
    };

    public static List<LatexToken> Tokenize(string s)
    {
        var tokens = new List<LatexToken>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                var start = i;
                while (i < s.Length && (char.IsDigit(s[i]) || (s[i] == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1]))))
                {
                    i++;
                }
                i = ScientificExponent(s, i);
                tokens.Add(new LatexToken(LatexTokenKind.Number, s[start..i]));
            }
            else if (c == '\\')
            {
                i = Command(s, i, tokens);
            }
            else if (char.IsLetter(c))
            {
                tokens.Add(new LatexToken(LatexTokenKind.Letter, c.ToString()));
                i++;
            }
            else
            {
                tokens.Add(new LatexToken(LatexTokenKind.Symbol, c.ToString()));
                i++;
            }
        }
        return tokens;
    }

    // "1.5e3", "2E-4": only when no letter follows the exponent digits (else it is e times something).
    private static int ScientificExponent(string s, int i)
    {
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            var j = i + 1;
            if (j < s.Length && (s[j] == '-' || s[j] == '+'))
            {
                j++;
            }
            var digits = j;
            while (j < s.Length && char.IsDigit(s[j]))
            {
                j++;
            }
            if (j > digits && (j == s.Length || !char.IsLetter(s[j])))
            {
                return j;
            }
        }
        return i;
    }

    private static int Command(string s, int i, List<LatexToken> tokens)
    {
        var start = i + 1;
        if (start < s.Length && !char.IsLetter(s[start]))
        {
            tokens.Add(new LatexToken(LatexTokenKind.Command, s[start].ToString()));
            return start + 1;
        }
        var end = start;
        while (end < s.Length && char.IsLetter(s[end]))
        {
            end++;
        }
        var name = s[start..end];
        if (!KnownCommands.Contains(name))
        {
            // Longest known prefix: "\pix" -> "\pi" then "x".
            for (var len = name.Length - 1; len >= 2; len--)
            {
                if (KnownCommands.Contains(name[..len]))
                {
                    tokens.Add(new LatexToken(LatexTokenKind.Command, name[..len]));
                    return start + len;
                }
            }
        }
        tokens.Add(new LatexToken(LatexTokenKind.Command, name));
        return end;
    }
}
