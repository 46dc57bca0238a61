using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Models;

/// <summary>
/// The log-softmax rows a decode step hands out: computed in three passes (max; shift + exp-sum; subtract) to the
/// float64 reference, reused through <see cref="LogProbRows"/>, and given back by the decode loop so that steady
/// decoding allocates none.
/// </summary>
public sealed class LogProbRowTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(32_771)]
    [InlineData(151_936)]
    public void Log_softmax_matches_a_float64_reference_and_normalises(int length)
    {
        var rng = new Random(length);
        // Logits as a model gives them: mostly near zero, a few large, one far off (stability: max shift).
        var logits = Enumerable.Range(0, length).Select(i => (float)(rng.NextDouble() * 8 - 4 + (i % 997 == 3 ? 30 : 0))).ToArray();
        var max = logits.Max();
        var logSum = Math.Log(logits.Sum(x => Math.Exp(x - max))) + max;
        var into = new float[length];

        LogSoftmax.Into(logits, into);
        var inPlace = (float[])logits.Clone();
        LogSoftmax.InPlace(inPlace);

        Assert.Equal(into, inPlace);
        // Each vector path (256-bit on x64, 128-bit on Arm64, scalar) whatever this machine has.
        foreach (var bits in new[] { 256, 128, 0 })
        {
            var path = new float[length];
            LogSoftmax.Into(logits, path, bits);
            for (var i = 0; i < length; i++)
            {
                Assert.True(Math.Abs(path[i] - (logits[i] - logSum)) < 2e-5, $"{bits}-bit path, entry {i}: {path[i]} vs {logits[i] - logSum}");
            }
            Assert.Equal(1.0, path.Sum(x => Math.Exp(x)), 4);
        }
    }

    [Fact]
    public void Log_softmax_refuses_a_destination_of_another_length() =>
        Assert.Throws<ArgumentException>(() => LogSoftmax.Into(new float[4], new float[5]));

    [Fact]
    public void A_returned_row_is_handed_out_again_and_only_for_its_own_length()
    {
        const int length = 1_013; // no other test uses this length
        var row = LogProbRows.Rent(length);
        Assert.Equal(length, row.Length);
        LogProbRows.Return(row);

        Assert.NotSame(row, LogProbRows.Rent(length + 1));
        Assert.Same(row, LogProbRows.Rent(length));
        LogProbRows.Return(null);
    }

    [Fact]
    public void The_pool_keeps_at_most_its_byte_bound_per_length()
    {
        const int length = 4 << 20; // 16 MB rows: the bound is 16 rows
        var bound = (int)(LogProbRows.MaxPooledBytes / (4L * length));
        var rows = Enumerable.Range(0, bound + 3).Select(_ => new float[length]).ToList();
        foreach (var row in rows)
        {
            LogProbRows.Return(row);
        }
        var back = Enumerable.Range(0, bound + 3).Select(_ => LogProbRows.Rent(length)).ToList();

        Assert.Equal(bound, back.Count(b => rows.Any(r => ReferenceEquals(r, b))));
    }

    [Fact]
    public void Steady_decoding_allocates_no_rows_and_gives_the_same_tokens()
    {
        // An unusual vocabulary so that no other test's rows are counted; base and guide both decode (guided arm).
        var baseDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 1, VocabSize: 1_021, Seed: 3, WeightScale: 2f), "rows-base");
        var guideDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, VocabSize: 1_021, Seed: 4, WeightScale: 2f), "rows-guide");
        try
        {
            using var baseLm = OnnxCausalLm.Load(baseDir, ExecutionOptions.Cpu);
            using var guideLm = OnnxCausalLm.Load(guideDir, ExecutionOptions.Cpu);
            DecodeResult Decode(int tokens) => new DualModelDecoder(baseLm, guideLm, GuideMode.Lazy).Decode([.. Enumerable.Range(0, 4).Select(i =>
                new DecodeRequest(new GuidedSequence(new GuidedGate(0.5, 1, 4), DivergenceKind.CrossEntropy, SamplingOptions.Greedy,
                    new SequenceRandom((ulong)i), tokens, new HashSet<int>()), [1 + i, 2, 3], [4, 5 + i, 6]))]);

            var warm = Decode(8);
            var before = LogProbRows.AllocatedFor(1_021);
            var result = Decode(64);
            var allocated = LogProbRows.AllocatedFor(1_021) - before;

            // 4 sequences x 64 steps x up to 2 models = 512 rows handed out; the pool serves all but the few in flight.
            Assert.True(allocated <= 16, $"{allocated} rows allocated for 4 x 64 steps");
            Assert.All(result.Sequences, s => Assert.Equal(64, s.Tokens.Count));
            Assert.Equal(warm.Sequences.Select(s => s.Tokens.Take(8)), result.Sequences.Select(s => s.Tokens.Take(8)));
        }
        finally
        {
            Directory.Delete(baseDir, recursive: true);
            Directory.Delete(guideDir, recursive: true);
        }
    }
}
