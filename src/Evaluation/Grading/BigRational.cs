using System.Globalization;
using System.Numerics;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// An exact rational number, always reduced with a positive denominator. Exactness matters for traps like
/// 1/2004! versus 1/2006!, which are both 0 in double precision.
/// </summary>
public readonly record struct BigRational
{
    public BigRational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException();
        }
        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Numerator = g.IsOne || g.IsZero ? numerator : numerator / g;
        Denominator = g.IsOne || g.IsZero ? denominator : denominator / g;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public bool IsInteger => Denominator.IsOne;

    public static BigRational Zero => new(0, 1);

    public static BigRational One => new(1, 1);

    public static BigRational FromInteger(BigInteger value) => new(value, 1);

    /// <summary>Parses "12", "-0.25", "1.5e3" exactly.</summary>
    public static bool TryParseDecimal(string text, out BigRational value)
    {
        value = Zero;
        var exp = 0;
        var e = text.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exp) || Math.Abs(exp) > 1000)
            {
                return false;
            }
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var digits = dot < 0 ? text : text.Remove(dot, 1);
        var scale = dot < 0 ? 0 : text.Length - dot - 1;
        if (digits.Length == 0 || digits == "-" || !BigInteger.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }
        var power = exp - scale;
        value = power >= 0 ? new BigRational(n * BigInteger.Pow(10, power), 1) : new BigRational(n, BigInteger.Pow(10, -power));
        return true;
    }

    public static BigRational operator +(BigRational a, BigRational b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static BigRational operator -(BigRational a, BigRational b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static BigRational operator -(BigRational a) => new(-a.Numerator, a.Denominator);

    public static BigRational operator *(BigRational a, BigRational b) =>
        new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static BigRational operator /(BigRational a, BigRational b) =>
        new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>Bits of numerator plus denominator: a size guard before expensive operations.</summary>
    public long Bits => (long)(Numerator.IsZero ? 1 : BigInteger.Abs(Numerator).GetBitLength()) + (long)Denominator.GetBitLength();

    public double ToDouble()
    {
        // Scale both parts so huge numbers still give a finite quotient when it exists.
        var shift = Math.Max(0, Math.Max((long)BigInteger.Abs(Numerator).GetBitLength(), (long)Denominator.GetBitLength()) - 1000);
        if (shift == 0)
        {
            return (double)Numerator / (double)Denominator;
        }
        return Math.Exp(BigInteger.Log(BigInteger.Abs(Numerator)) - BigInteger.Log(Denominator)) * Numerator.Sign;
    }

    public override string ToString() => IsInteger
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
