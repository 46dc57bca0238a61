using System.Globalization;
using System.Text.RegularExpressions;
using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Tests.Runs;

/// <summary>Each plot file exists as PNG and SVG for runs of 1, 4 and 10 arms, with its title, axis units and a label on every bar and point.</summary>
public sealed partial class ReportPlotsTests
{
    private static readonly string[] TenArms =
    [
        "base", "guide", "reference", "guided@r=0.01", "guided@r=0.02", "guided@r=0.04",
        "random@match(guided@r=0.04)", "early@match(guided@r=0.04)", "entropy@2.5", "nudging@0.4",
    ];

    public static TheoryData<int> ArmCounts => [1, 4, 10];

    [Theory]
    [MemberData(nameof(ArmCounts))]
    public void Every_plot_is_written_as_png_and_svg_with_title_units_and_a_label_on_every_bar(int armCount)
    {
        string[] arms = armCount switch { 1 => ["base"], 4 => ["base", "guide", "guided", "random"], _ => TenArms };
        var samples = Samples(arms);
        var summary = SummaryBuilder.Build("r", samples);
        var folder = TestPaths.NewTempDir();
        var manifest = RunFolderTests.Manifest() with { Models = [new ModelFileInfo { Role = "base", Name = "Qwen3-0.6B-Base", Sha256 = "0" }] };

        var plots = RunPlots.Write(folder, manifest, summary, null);

        // Two samples per problem: the pass@2 curve is drawn too.
        string[] expected = [RunPlots.AccuracyPerArm, RunPlots.BudgetCurve + ".math500", RunPlots.BudgetCurvePass + ".math500"];
        Assert.Equal(expected.Select(e => e + ".png"), plots.Select(p => p.Png));
        foreach (var plot in plots)
        {
            var png = File.ReadAllBytes(Path.Combine(folder, plot.Png));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Contains("95% bootstrap interval over problems", plot.Caption);
        }

        var bars = SvgTexts(Path.Combine(folder, RunPlots.AccuracyPerArm + ".svg"));
        Assert.Contains("Accuracy per arm: math500", bars);
        Assert.Contains("base: Qwen3-0.6B-Base", bars);
        Assert.Contains("accuracy (%)", bars);
        foreach (var arm in arms)
        {
            Assert.Contains(arm, bars);
            Assert.Contains(Percent(summary.Tasks["math500"].Arms[arm].Accuracy), bars);
        }
        Assert.Contains("100", bars);
        Assert.DoesNotContain("105", bars);

        var curve = SvgTexts(Path.Combine(folder, RunPlots.BudgetCurve + ".math500.svg"));
        Assert.Contains("realised budget rho-bar (% of tokens written by the guide)", curve);
        // Every arm is named on the curve: levels as "arm: value", points as "arm: value @ rho".
        foreach (var arm in arms)
        {
            Assert.Contains(curve, t => t.StartsWith(arm + ": " + Percent(summary.Tasks["math500"].Arms[arm].Accuracy), StringComparison.Ordinal));
        }
    }

    // 20 problems x 2 samples per arm; accuracy and rho rise with the arm's index so that values differ.
    private static List<SampleRecord> Samples(IReadOnlyList<string> arms)
    {
        var list = new List<SampleRecord>();
        for (var a = 0; a < arms.Count; a++)
        {
            var family = ArmFamilies.Family(arms[a]);
            var rho = family is "base" or "reference" ? 0 : family == "guide" ? 1 : 0.01 * a;
            for (var p = 0; p < 20; p++)
            {
                for (var s = 0; s < 2; s++)
                {
                    list.Add(RunFolderTests.Sample($"p{p:00}", s, arms[a], correct: (p * 7 + s * 3) % 20 < 4 + a) with { Rho = rho, Takeovers = (int)(100 * rho) });
                }
            }
        }
        return list;
    }

    private static List<string> SvgTexts(string path) =>
        [.. TextElement().Matches(File.ReadAllText(path)).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value.Trim()))];

    private static string Percent(double v) => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    [GeneratedRegex("<text[^>]*>([^<]*)</text>", RegexOptions.Singleline)]
    private static partial Regex TextElement();
}
