using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Bench.Evaluation;

/// <summary>
/// The cost of token traces in samples.jsonl and of reporting a 100k-sample run: summary (bootstrap intervals), plots,
/// report.md and the report.html viewer with its side files. Synthetic run: 10 arms x 5,000 problems x 2 samples,
/// 200-token responses (~5 characters per token), a trace on every sample.
/// </summary>
public sealed class ReportBench : IBench
{
    private const int Tokens = 200;
    private static readonly string[] Arms =
        ["base", "guide", "guided@r=0.01", "guided@r=0.02", "guided@r=0.04", "guided@r=0.08", "random@0.02", "random@0.08", "early@0.02", "early@0.08"];

    public string Name => "report";

    public string Description => "trace cost in samples.jsonl and report time for 100,000 samples (10 arms x 5,000 problems x 2 samples, 200 tokens each)";

    public void Run()
    {
        var dir = Directory.CreateTempSubdirectory("evalcluster-report-bench-").FullName;
        try
        {
            var samples = Samples();
            var withTrace = samples.Sum(s => (long)Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(s, RunJson.Line)) + 1);
            var without = samples.Sum(s => (long)Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(s with { Trace = null }, RunJson.Line)) + 1);
            var manifest = new RunManifest { RunId = "bench", Tasks = ["math500"], Arms = Arms, Samples = 2 };
            using (var folder = RunFolder.CreateOrResume(dir, manifest))
            {
                folder.RewriteSamples(samples);
            }
            var summaryTime = Stopwatch.StartNew();
            SummaryBuilder.Build("bench", samples);
            summaryTime.Stop();
            var reportTime = Stopwatch.StartNew();
            using (var folder = RunFolder.Open(dir))
            {
                RunReporter.Write(folder);
            }
            reportTime.Stop();
            var viewer = new DirectoryInfo(Path.Combine(dir, RunViewer.Folder)).GetFiles();
            var chunks = viewer.Where(f => f.Name.StartsWith("samples-", StringComparison.Ordinal)).ToList();
            Console.WriteLine("| measure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| samples | {samples.Count:N0} |");
            Console.WriteLine($"| samples.jsonl without traces | {without / 1e6:F1} MB ({without / samples.Count:N0} bytes/sample) |");
            Console.WriteLine($"| samples.jsonl with traces | {withTrace / 1e6:F1} MB ({withTrace / samples.Count:N0} bytes/sample, +{100.0 * (withTrace - without) / without:F0}%) |");
            Console.WriteLine($"| trace bytes per token | {(double)(withTrace - without) / samples.Count / Tokens:F1} |");
            Console.WriteLine($"| summary (bootstrap intervals, comparisons) | {summaryTime.Elapsed.TotalSeconds:F1} s |");
            Console.WriteLine($"| report (read samples, summary, plots, report.md, report.html + side files) | {reportTime.Elapsed.TotalSeconds:F1} s |");
            Console.WriteLine($"| report.html | {new FileInfo(Path.Combine(dir, RunViewer.File)).Length / 1e6:F2} MB |");
            Console.WriteLine($"| viewer/index.js (loaded on open) | {new FileInfo(Path.Combine(dir, RunViewer.Folder, "index.js")).Length / 1e6:F1} MB |");
            Console.WriteLine($"| viewer/samples-*.js (loaded per page) | {chunks.Count} files, {chunks.Sum(c => c.Length) / 1e6:F0} MB, largest {chunks.Max(c => c.Length) / 1e6:F2} MB |");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<SampleRecord> Samples()
    {
        var rng = new Random(1);
        var list = new List<SampleRecord>(Arms.Length * 10_000);
        string[] words = [" the", " sum", " of", " 3", " and", " 4", " is", " so", " we", " get", " Let", " x", " =", " 12", "."];
        for (var p = 0; p < 5_000; p++)
        {
            for (var s = 0; s < 2; s++)
            {
                for (var a = 0; a < Arms.Length; a++)
                {
                    var text = new StringBuilder();
                    var ends = new int[Tokens];
                    var sources = new char[Tokens];
                    var scores = new byte[2 * Tokens];
                    var takeovers = 0;
                    for (var t = 0; t < Tokens; t++)
                    {
                        text.Append(words[rng.Next(words.Length)]);
                        ends[t] = text.Length;
                        var guide = a > 1 && rng.NextDouble() < 0.03;
                        takeovers += guide ? 1 : 0;
                        sources[t] = guide ? 'g' : 'b';
                        BitConverter.TryWriteBytes(scores.AsSpan(2 * t), rng.NextDouble() < 0.5 ? Half.NaN : (Half)(rng.NextDouble() * 5));
                    }
                    var correct = rng.NextDouble() < 0.3 + 0.05 * a;
                    list.Add(new SampleRecord
                    {
                        RunId = "bench", Task = "math500", ProblemId = $"test/{p:00000}.json", Sample = s, Arm = Arms[a],
                        Prompt = $"Problem {p}: compute the sum of 3 and 4 and put the answer in \\boxed{{}}.", Response = text.ToString(),
                        Extracted = correct ? "7" : "8", Gold = "7", Correct = correct, ResponseTokens = Tokens, Takeovers = takeovers,
                        Rho = takeovers / (double)Tokens, Trace = new SampleTokenTrace(new string(sources), Convert.ToBase64String(scores), ends),
                    });
                }
            }
        }
        return list;
    }
}
