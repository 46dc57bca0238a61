namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Recursive-descent parser from normalised LaTeX to an <see cref="Expr"/>: + - \pm-free sums, products
/// (explicit, \cdot, \times, \div, implicit), unary minus, powers (right-associative), factorials, \frac,
/// \sqrt[n]{}, \binom, |x|, floor/ceil, functions (trig, log, ln, exp) with optional ^power and _base.
/// Returns null for anything it does not understand; nesting is limited so hostile input cannot overflow.
/// </summary>
public sealed class LatexParser
{
    private const int MaxDepth = 200;
    private static readonly HashSet<string> s_functions = ["sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp"];
    private static readonly HashSet<string> s_greek = ["alpha", "beta", "gamma", "delta", "epsilon", "theta", "lambda", "mu", "phi", "varphi", "psi", "omega", "sigma", "tau", "rho", "eta", "zeta", "xi", "nu", "kappa", "chi", "Delta", "Omega", "Sigma", "Phi", "Gamma", "Theta", "Lambda", "Pi"];

    private readonly List<LatexToken> _tokens;
    private readonly CancellationToken _cancel;
    private int _pos;
    private int _depth;
    private int _absDepth;

    private LatexParser(List<LatexToken> tokens, CancellationToken cancel)
    {
        _tokens = tokens;
        _cancel = cancel;
    }

    public static Expr? TryParse(string text, CancellationToken cancel = default)
    {
        var tokens = LatexTokenizer.Tokenize(text);
        if (tokens.Count == 0)
        {
            return null;
        }
        var parser = new LatexParser(tokens, cancel);
        try
        {
            var e = parser.Expression();
            return parser._pos == tokens.Count ? e : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private LatexToken? Peek => _pos < _tokens.Count ? _tokens[_pos] : null;

    private bool IsSymbol(string s) => Peek is { Kind: LatexTokenKind.Symbol } t && t.Text == s;

    private bool IsCommand(string s) => Peek is { Kind: LatexTokenKind.Command } t && t.Text == s;

    private void Expect(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            throw new FormatException();
        }
        _pos++;
    }

    private Expr Expression()
    {
        Enter();
        var left = Term();
        while (IsSymbol("+") || IsSymbol("-"))
        {
            var add = _tokens[_pos++].Text == "+";
            left = Expr.Op(add ? ExprKind.Add : ExprKind.Subtract, left, Term());
        }
        _depth--;
        return left;
    }

    private Expr Term()
    {
        var left = Unary();
        while (true)
        {
            if (IsSymbol("*") || IsCommand("cdot") || IsCommand("times"))
            {
                _pos++;
                left = Expr.Op(ExprKind.Multiply, left, Unary());
            }
            else if (IsSymbol("/") || IsCommand("div"))
            {
                _pos++;
                left = Expr.Op(ExprKind.Divide, left, Unary());
            }
            else if (StartsPrimary())
            {
                left = Expr.Op(ExprKind.Multiply, left, Power());
            }
            else
            {
                return left;
            }
        }
    }

    private Expr Unary()
    {
        if (IsSymbol("-"))
        {
            _pos++;
            Enter();
            var negated = Expr.Op(ExprKind.Negate, Unary());
            _depth--;
            return negated;
        }
        if (IsSymbol("+"))
        {
            _pos++;
            return Unary();
        }
        return Power();
    }

    private Expr Power()
    {
        Enter();
        var b = Postfix();
        if (IsSymbol("^"))
        {
            _pos++;
            var exponent = IsSymbol("-") ? Expr.Op(ExprKind.Negate, SkipThen(Power)) : IsSymbol("{") ? Group() : Power();
            b = Expr.Op(ExprKind.Power, b, exponent);
            while (IsSymbol("!"))
            {
                _pos++;
                b = Expr.Op(ExprKind.Factorial, b);
            }
        }
        _depth--;
        return b;
    }

    private Expr SkipThen(Func<Expr> next)
    {
        _pos++;
        return next();
    }

    private Expr Postfix()
    {
        var p = Primary();
        while (IsSymbol("!"))
        {
            _pos++;
            p = Expr.Op(ExprKind.Factorial, p);
        }
        return p;
    }

    private bool StartsPrimary() => Peek switch
    {
        null => false,
        { Kind: LatexTokenKind.Number or LatexTokenKind.Letter } => true,
        { Kind: LatexTokenKind.Symbol, Text: "(" or "[" or "{" } => true,
        { Kind: LatexTokenKind.Symbol, Text: "|" } => _absDepth == 0,
        { Kind: LatexTokenKind.Command, Text: var c } => c is "frac" or "sqrt" or "binom" or "pi" or "infty" or "lfloor" or "lceil" or "{"
            || s_functions.Contains(c) || s_greek.Contains(c) || c == "e",
        _ => false,
    };

    private Expr Primary()
    {
        _cancel.ThrowIfCancellationRequested();
        var t = Peek ?? throw new FormatException();
        _pos++;
        switch (t.Kind)
        {
            case LatexTokenKind.Number:
                return BigRational.TryParseDecimal(t.Text, out var v) ? Expr.Num(v) : throw new FormatException();
            case LatexTokenKind.Letter:
                return Letter(t.Text);
            case LatexTokenKind.Symbol when t.Text is "(" or "[" or "{":
                var inner = Expression();
                Expect(t.Text == "(" ? ")" : t.Text == "[" ? "]" : "}");
                return inner;
            case LatexTokenKind.Symbol when t.Text == "|":
                _absDepth++;
                var abs = Expression();
                Expect("|");
                _absDepth--;
                return Expr.Fn("abs", abs);
            case LatexTokenKind.Command:
                return Command(t.Text);
            default:
                throw new FormatException();
        }
    }

    private Expr Letter(string name)
    {
        if (IsSymbol("_"))
        {
            _pos++;
            var sub = Peek ?? throw new FormatException();
            _pos++;
            if (sub.Kind == LatexTokenKind.Symbol && sub.Text == "{")
            {
                var start = _pos;
                while (!IsSymbol("}"))
                {
                    _pos++;
                    if (Peek is null)
                    {
                        throw new FormatException();
                    }
                }
                var text = string.Concat(_tokens.Skip(start).Take(_pos - start).Select(x => x.Text));
                _pos++;
                return Expr.Var($"{name}_{text}");
            }
            return Expr.Var($"{name}_{sub.Text}");
        }
        return name == "e" ? Expr.Const("e") : Expr.Var(name);
    }

    private Expr Command(string name)
    {
        switch (name)
        {
            case "frac":
                return Expr.Op(ExprKind.Divide, Argument(), Argument());
            case "binom":
                return Expr.Fn("binom", Argument(), Argument());
            case "sqrt":
                if (IsSymbol("["))
                {
                    _pos++;
                    var index = Expression();
                    Expect("]");
                    return Expr.Fn("root", Argument(), index);
                }
                return Expr.Fn("sqrt", Argument());
            case "pi":
                return Expr.Const("pi");
            case "e":
                return Expr.Const("e");
            case "infty":
                return Expr.Const("inf");
            case "{":
                var set = Expression();
                if (!IsCommand("}"))
                {
                    throw new FormatException();
                }
                _pos++;
                return set;
            case "lfloor" or "lceil":
                var body = Expression();
                if (!IsCommand(name == "lfloor" ? "rfloor" : "rceil"))
                {
                    throw new FormatException();
                }
                _pos++;
                return Expr.Fn(name == "lfloor" ? "floor" : "ceil", body);
        }
        if (s_greek.Contains(name))
        {
            return Expr.Var(name);
        }
        if (s_functions.Contains(name))
        {
            return Function(name);
        }
        throw new FormatException();
    }

    // \sin^2 x, \log_2 8, \sin(x), \sin 2x.
    private Expr Function(string name)
    {
        Expr? power = null;
        Expr? logBase = null;
        if (IsSymbol("^"))
        {
            _pos++;
            power = IsSymbol("{") ? Group() : Postfix();
        }
        if (IsSymbol("_") && name == "log")
        {
            _pos++;
            logBase = IsSymbol("{") ? Group() : Postfix();
        }
        Expr arg;
        if (IsSymbol("(") || IsSymbol("{"))
        {
            arg = Power();
        }
        else
        {
            arg = Power();
            while (Peek is { Kind: LatexTokenKind.Number or LatexTokenKind.Letter })
            {
                arg = Expr.Op(ExprKind.Multiply, arg, Power());
            }
        }
        var f = logBase is null ? Expr.Fn(name, arg) : Expr.Op(ExprKind.Divide, Expr.Fn("ln", arg), Expr.Fn("ln", logBase));
        return power is null ? f : Expr.Op(ExprKind.Power, f, power);
    }

    // A braced group, or a single token (\frac12 was already fixed by the normaliser).
    private Expr Argument() => IsSymbol("{") ? Group() : Primary();

    private Expr Group()
    {
        Expect("{");
        var e = Expression();
        Expect("}");
        return e;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new FormatException();
        }
    }
}
