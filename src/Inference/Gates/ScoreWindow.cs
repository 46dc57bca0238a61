namespace EvalCluster.Inference.Gates;

/// <summary>
/// The last W scores of a response (a ring buffer). Its mean covers the scores that exist: fewer than W at the
/// start, and NaN entries (steps where the lazy guide was not consulted) are left out.
/// </summary>
public sealed class ScoreWindow
{
    private readonly double[] _values;
    private int _count;
    private int _next;

    public ScoreWindow(int size)
    {
        if (size < 1)
        {
            throw new InferenceException($"window must be at least 1 (got {size}); set --window / \"window\" to a positive number of tokens.");
        }
        _values = new double[size];
    }

    public void Add(double score)
    {
        _values[_next] = score;
        _next = (_next + 1) % _values.Length;
        _count = Math.Min(_count + 1, _values.Length);
    }

    /// <summary>Mean of the known scores in the window, or null when there are none (t = 0).</summary>
    public double? Mean()
    {
        double sum = 0;
        var known = 0;
        for (var i = 0; i < _count; i++)
        {
            if (!double.IsNaN(_values[i]))
            {
                sum += _values[i];
                known++;
            }
        }
        return known == 0 ? null : sum / known;
    }
}
