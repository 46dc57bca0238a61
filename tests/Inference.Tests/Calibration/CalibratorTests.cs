using EvalCluster.Inference.Calibration;

namespace EvalCluster.Inference.Tests.Calibration;

public sealed class CalibratorTests
{
    [Fact]
    public void Tau_and_lambda_of_a_synthetic_score_list_equal_hand_computed_values()
    {
        double[] scores = [5, 1, 9, 3, 7, 2, 10, 4, 8, 6];
        var (tau, lambda) = Calibrator.Calibrate(scores, r: 0.2);
        // Sorted 1..10; quantile 0.8 sits at index 9 * 0.8 = 7.2: 8 + 0.2 * (9 - 8) = 8.2.
        Assert.Equal(8.2, tau, 12);
        // mean(9, 10) / mean(1..10) = 9.5 / 5.5.
        Assert.Equal(9.5 / 5.5, lambda, 12);
    }

    [Fact]
    public void Non_finite_scores_are_left_out()
    {
        double[] scores = [1, 2, 3, 4, double.PositiveInfinity, double.NaN];
        var (tau, lambda) = Calibrator.Calibrate(scores, r: 0.5);
        Assert.Equal(2.5, tau, 12);
        Assert.Equal(3.5 / 2.5, lambda, 12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void R_outside_the_open_unit_interval_is_rejected(double r)
    {
        Assert.Contains("-r", Assert.Throws<InferenceException>(() => Calibrator.Calibrate([1, 2, 3], r)).Message);
    }

    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        Assert.Equal(1, Calibrator.Quantile([3, 1, 2], 0));
        Assert.Equal(3, Calibrator.Quantile([3, 1, 2], 1));
        Assert.Equal(2.5, Calibrator.Quantile([3, 1, 2], 0.75));
    }

    [Fact]
    public void Several_r_from_one_set_of_scores_equal_one_calibration_per_r_in_increasing_r()
    {
        var scores = Enumerable.Range(0, 500).Select(i => Math.Pow(1.013, i) % 7.3).ToArray();
        var entries = Calibrator.Calibrate(scores, [0.04, 0.01, 0.02]);
        Assert.Equal([0.01, 0.02, 0.04], entries.Select(e => e.R));
        foreach (var e in entries)
        {
            Assert.Equal(Calibrator.Calibrate(scores, e.R), (e.Tau, e.Lambda));
        }
        // A smaller spike ratio is a stricter gate.
        Assert.True(entries[0].Tau >= entries[1].Tau && entries[1].Tau >= entries[2].Tau);
    }
}
