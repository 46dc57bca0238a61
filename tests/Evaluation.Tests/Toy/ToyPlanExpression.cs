using System.Globalization;

namespace EvalCluster.Evaluation.Tests.Toy;

/// <summary>
/// An independent evaluator for the problem text ("a=3 b=7 c=2 find a+b*c"): a recursive-descent parser
/// with the usual precedence, sharing no code with the generator, so the test checks the generator's answers.
/// </summary>
internal sealed class ToyPlanExpression
{
    private readonly string _text;
    private readonly Dictionary<char, long> _values;
    private int _pos;

    private ToyPlanExpression(string text, Dictionary<char, long> values)
    {
        _text = text;
        _values = values;
    }

    public static long Evaluate(string problem)
    {
        var parts = problem.Split(' ');
        var values = new Dictionary<char, long>();
        var i = 0;
        for (; parts[i] != "find"; i++)
        {
            values[parts[i][0]] = long.Parse(parts[i][2..], CultureInfo.InvariantCulture);
        }

        var parser = new ToyPlanExpression(string.Join("", parts.Skip(i + 1)), values);
        var result = parser.Sum();
        return parser._pos == parser._text.Length ? result : throw new FormatException($"trailing text in '{problem}'");
    }

    private long Sum()
    {
        var value = Product();
        while (_pos < _text.Length && (_text[_pos] == '+' || _text[_pos] == '-'))
        {
            var op = _text[_pos++];
            var right = Product();
            value = op == '+' ? value + right : value - right;
        }

        return value;
    }

    private long Product()
    {
        var value = Atom();
        while (_pos < _text.Length && _text[_pos] == '*')
        {
            _pos++;
            value *= Atom();
        }

        return value;
    }

    private long Atom()
    {
        var c = _text[_pos++];
        if (c != '(')
        {
            return _values[c];
        }

        var value = Sum();
        if (_text[_pos++] != ')')
        {
            throw new FormatException($"missing ')' in '{_text}'");
        }

        return value;
    }
}
