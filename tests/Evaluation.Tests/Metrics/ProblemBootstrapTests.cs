using EvalCluster.Evaluation.Metrics;

namespace EvalCluster.Evaluation.Tests.Metrics;

public sealed class ProblemBootstrapTests
{
    [Fact]
    public void Two_problems_give_the_hand_computed_percentile_interval()
    {
        // Resampling two problems (0 and 1): means 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4, so the 2.5% and
        // 97.5% quantiles of 2000 draws are 0 and 1.
        var i = ProblemBootstrap.Mean([0.0, 1.0]);
        Assert.Equal((0.5, 0.0, 1.0), (i.Value, i.Low, i.High));
    }

    [Fact]
    public void Columns_bootstrapped_together_get_the_intervals_each_gets_alone()
    {
        double[] a = [0, 0.25, 1, 0.5, 0.75, 1, 0, 0.5];
        double[] b = [1, 1, 0, 1, 0, 1, 1, 1];
        var together = ProblemBootstrap.Means([a, b]);
        Assert.Equal([ProblemBootstrap.Mean(a), ProblemBootstrap.Mean(b)], together);
    }

    [Fact]
    public void Quantiles_interpolate_linearly_between_sorted_values()
    {
        Assert.Equal(2.5, ProblemBootstrap.Quantile([1.0, 2.0, 3.0, 4.0], 0.5), 12);
        Assert.Equal(1.3, ProblemBootstrap.Quantile([1.0, 2.0, 3.0, 4.0], 0.1), 12);
    }

    [Fact]
    public void Every_problem_at_zero_falls_back_to_the_wilson_interval_over_problems_instead_of_a_zero_width_one()
    {
        var i = ProblemBootstrap.Mean(new double[30]);
        var wilson = WilsonInterval.Compute(0, 30);
        Assert.Equal((0.0, wilson.Low, wilson.High), (i.Value, i.Low, i.High));
        Assert.True(i.High > 0.1);
    }

    [Fact]
    public void The_same_values_give_the_same_interval_every_time()
    {
        double[] values = [0, 0.25, 1, 0.5, 0.75, 1, 0, 0.5];
        Assert.Equal(ProblemBootstrap.Mean(values), ProblemBootstrap.Mean(values));
    }

    [Fact]
    public void Samples_that_agree_within_problems_widen_the_interval_by_about_the_root_of_the_samples_per_problem()
    {
        // 40 problems x 4 samples, each problem all right or all wrong (half of them right): 160 samples but only 40
        // independent answers. The nested interval must be about sqrt(4) = 2 times the width of one that treats the
        // 160 samples as independent.
        var perProblem = Enumerable.Range(0, 40).Select(p => p % 2 == 0 ? 1.0 : 0.0).ToArray();
        var nested = ProblemBootstrap.Mean(perProblem);
        var independent = WilsonInterval.Compute(80, 160);
        var ratio = (nested.High - nested.Low) / (independent.High - independent.Low);
        Assert.InRange(ratio, 1.7, 2.3);
    }

    [Fact]
    public void On_simulated_nested_data_the_interval_covers_the_true_mean_at_about_the_stated_rate()
    {
        // 300 synthetic runs of 50 problems x 4 samples; problem difficulty p ~ one of five levels (mean 0.5, the true
        // mean accuracy), samples Bernoulli(p) within a problem. Seeded and bounded: about a second.
        double[] levels = [0.02, 0.2, 0.5, 0.8, 0.98];
        var rng = new Random(7);
        const int runs = 300, problems = 50, samples = 4;
        int nestedCovers = 0, naiveCovers = 0;
        for (var run = 0; run < runs; run++)
        {
            var perProblem = new double[problems];
            var correct = 0;
            for (var p = 0; p < problems; p++)
            {
                var difficulty = levels[rng.Next(levels.Length)];
                var c = Enumerable.Range(0, samples).Count(_ => rng.NextDouble() < difficulty);
                perProblem[p] = c / (double)samples;
                correct += c;
            }
            var nested = ProblemBootstrap.Mean(perProblem, resamples: 1000, seed: run);
            nestedCovers += nested.Low <= 0.5 && 0.5 <= nested.High ? 1 : 0;
            var naive = WilsonInterval.Compute(correct, problems * samples);
            naiveCovers += naive.Low <= 0.5 && 0.5 <= naive.High ? 1 : 0;
        }
        var coverage = nestedCovers / (double)runs;
        Assert.InRange(coverage, 0.90, 0.985);
        // The interval that counts every sample as independent covers clearly less often on the same data.
        Assert.True(naiveCovers / (double)runs < coverage - 0.05, $"naive {naiveCovers}/{runs}, nested {nestedCovers}/{runs}");
    }
}
