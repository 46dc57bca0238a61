using System.Text.Json.Nodes;
using EvalCluster.Coordinator.Tests.Commands;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Tests.Viewer;

/// <summary>
/// report.html in a real headless Chromium, opened from disk (file://): it renders with no console error, shows every
/// arm, filters the sample list, highlights guide-written tokens, and a screenshot lands in the run folder. One run
/// folder is built from sample records with token traces (what the cluster writes), one by a real toy-pair run.
/// </summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class ReportViewerBrowserTests : IDisposable
{
    private static readonly TimeSpan Render = TimeSpan.FromSeconds(60);
    private static readonly string[] Words = ["We", " need", " to", " add", " 3", " and", " 4", ".", " Plan", ":", " sum", ".", " The", " answer", " is", " 7", "."];
    private readonly string _out = Directory.CreateTempSubdirectory("evalcluster-viewer-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task The_viewer_of_a_traced_run_highlights_guide_tokens_filters_pages_and_searches_without_console_errors()
    {
        // 3 arms x 120 problems x 2 samples = 720 samples: two side-file chunks, several pages.
        string[] arms = ["base", "guided", "random"];
        var folder = RunFolder.CreateOrResume(Path.Combine(_out, "traced"), new RunManifest
        {
            RunId = "traced", Tasks = ["toy-plan"], Arms = arms, Samples = 2,
            Models = [new ModelFileInfo { Role = "base", Name = "toy-base", Sha256 = "00" }, new ModelFileInfo { Role = "guide", Name = "toy-guide", Sha256 = "11" }],
        });
        using (folder)
        {
            for (var p = 0; p < 120; p++)
            {
                for (var s = 0; s < 2; s++)
                {
                    foreach (var arm in arms)
                    {
                        folder.Append(Traced(p, s, arm));
                    }
                }
            }
            RunReporter.Write(folder);
        }
        var dir = Path.Combine(_out, "traced");
        Assert.True(File.Exists(Path.Combine(dir, RunViewer.Folder, "samples-00001.js")));

        await using var chrome = await HeadlessChromium.StartAsync();
        await chrome.OpenAsync(new Uri(Path.Combine(dir, RunViewer.File)).AbsoluteUri);
        Assert.True(await chrome.WaitForAsync("document.body.dataset.ready === '1'", Render), "the page did not render");

        Assert.Equal(arms, Strings(await chrome.EvaluateAsync("[...document.querySelectorAll('table.summary tr[data-arm]')].map(r => r.dataset.arm)")));
        string[] options = ["all", .. arms];
        Assert.Equal(options, Strings(await chrome.EvaluateAsync("[...document.querySelectorAll('#f-arm option')].map(o => o.textContent)")));
        Assert.Equal("720 samples", await Text(chrome, "#count"));
        Assert.Equal("page 1 / 15", await Text(chrome, "#page"));

        // Filter by arm: 240 guided samples, every listed row guided.
        await chrome.EvaluateAsync("(() => { const s = document.getElementById('f-arm'); s.value = '1'; s.dispatchEvent(new Event('change')); })()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('count').textContent === '240 samples'", Render));
        Assert.Equal(["guided"], Strings(await chrome.EvaluateAsync("[...new Set([...document.querySelectorAll('#list tbody tr td:nth-child(2)')].map(t => t.textContent))]")));
        // And by problem and result: p007 has one failed guided sample (sample 1).
        await chrome.EvaluateAsync("(() => { const i = document.getElementById('f-problem'); i.value = 'p007'; i.dispatchEvent(new Event('input')); })()");
        await chrome.EvaluateAsync("(() => { const s = document.getElementById('f-result'); s.value = '2'; s.dispatchEvent(new Event('change')); })()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('count').textContent === '1 samples'", Render));
        await chrome.EvaluateAsync("(() => { const s = document.getElementById('f-result'); s.value = ''; s.dispatchEvent(new Event('change')); })()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('count').textContent === '2 samples'", Render));

        // Open p007's guided sample 0: its takeover tokens (" need" and " Plan") are highlighted, scores coloured,
        // and the same problem's base and random responses sit beside it.
        await chrome.EvaluateAsync("document.querySelector('#list tbody tr').click()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('detail').dataset.ready === '1'", Render));
        Assert.Equal([" need", " Plan"], Strings(await chrome.EvaluateAsync("[...document.querySelectorAll('.side > div:first-child .tok.g')].map(t => t.textContent)")));
        Assert.Equal(3, (int)(await chrome.EvaluateAsync("document.querySelectorAll('.side > div').length"))!);
        Assert.Equal(0, (int)(await chrome.EvaluateAsync("document.querySelectorAll('.side > div:nth-child(2) .tok.g').length"))!);
        Assert.True((int)(await chrome.EvaluateAsync("[...document.querySelectorAll('.side > div:first-child .tok')].filter(t => t.style.background).length"))! >= 5);
        Assert.Equal(string.Concat(Words) + " [p007]", await Text(chrome, ".side > div:first-child .resp"));

        // Text search reaches into the second chunk: one response mentions "p119" and is guided sample 1.
        await chrome.EvaluateAsync("(() => { for (const [id, v] of [['f-problem', ''], ['f-text', '[p119]']]) { const i = document.getElementById(id); i.value = v; i.dispatchEvent(new Event('input')); } })()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('count').textContent === '2 samples'", Render));

        await chrome.ScreenshotAsync(Path.Combine(dir, "viewer-screenshot.png"));
        Assert.True(new FileInfo(Path.Combine(dir, "viewer-screenshot.png")).Length > 10_000);
        Assert.Empty(chrome.Errors);
    }

    [Fact]
    public async Task The_viewer_of_a_real_toy_pair_run_shows_every_arm_and_filters_without_console_errors()
    {
        var toy = RepoPaths.File("models", "toy");
        var run = ConsoleCapture.Run("run", "--task", "toy-plan", "--arms", "base,guide,guided,random", "--limit", "5",
            "--base", Path.Combine(toy, "base"), "--guide", Path.Combine(toy, "guide"), "--calibration", Path.Combine(toy, "calibration.json"),
            "--tasks-dir", RepoPaths.File("tasks"), "--data-dir", RepoPaths.File("data"), "--out", _out, "--run-id", "toy");
        Assert.True(run.Exit == 0, run.Stderr);
        var dir = Path.Combine(_out, "toy");
        var correctGuided = File.ReadLines(Path.Combine(dir, RunFolder.SamplesFile))
            .Select(l => JsonNode.Parse(l)!).Count(n => (string?)n["arm"] == "guided" && (bool)n["correct"]!);

        await using var chrome = await HeadlessChromium.StartAsync();
        await chrome.OpenAsync(new Uri(Path.Combine(dir, RunViewer.File)).AbsoluteUri);
        Assert.True(await chrome.WaitForAsync("document.body.dataset.ready === '1'", Render), "the page did not render");

        string[] arms = ["base", "guide", "guided", "random"];
        Assert.Equal(arms, Strings(await chrome.EvaluateAsync("[...document.querySelectorAll('table.summary tr[data-arm]')].map(r => r.dataset.arm)")));
        Assert.Equal("20 samples", await Text(chrome, "#count"));
        Assert.True((int)(await chrome.EvaluateAsync("document.querySelectorAll('#plots img').length"))! >= 2);

        await chrome.EvaluateAsync("(() => { const a = document.getElementById('f-arm'); a.value = '2'; a.dispatchEvent(new Event('change')); const r = document.getElementById('f-result'); r.value = '1'; r.dispatchEvent(new Event('change')); })()");
        Assert.True(await chrome.WaitForAsync($"document.getElementById('count').textContent === '{correctGuided} samples'", Render));
        await chrome.EvaluateAsync("(() => { const r = document.getElementById('f-result'); r.value = ''; r.dispatchEvent(new Event('change')); })()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('count').textContent === '5 samples'", Render));
        Assert.Equal(["guided"], Strings(await chrome.EvaluateAsync("[...new Set([...document.querySelectorAll('#list tbody tr td:nth-child(2)')].map(t => t.textContent))]")));

        var problem = (string)(await chrome.EvaluateAsync("document.querySelector('#list tbody tr td:nth-child(3)').textContent"))!;
        await chrome.EvaluateAsync("document.querySelector('#list tbody tr').click()");
        Assert.True(await chrome.WaitForAsync("document.getElementById('detail').dataset.ready === '1'", Render));
        Assert.Equal(4, (int)(await chrome.EvaluateAsync("document.querySelectorAll('.side > div').length"))!);
        Assert.False(string.IsNullOrWhiteSpace(await Text(chrome, "#detail pre")));
        // The run keeps token traces by default: the guided sample outlines exactly the tokens its line records as takeovers.
        var guided = File.ReadLines(Path.Combine(dir, RunFolder.SamplesFile)).Select(l => JsonNode.Parse(l)!)
            .Single(n => (string?)n["arm"] == "guided" && (string?)n["problem_id"] == problem);
        Assert.NotNull(guided["trace"]);
        Assert.True(File.ReadLines(Path.Combine(dir, RunFolder.SamplesFile)).Select(l => JsonNode.Parse(l)!)
            .Where(n => (string?)n["arm"] == "guided").Sum(n => (int)n["takeovers"]!) > 0, "the guided arm took over nowhere");
        Assert.Equal((int)guided["takeovers"]!, (int)(await chrome.EvaluateAsync("document.querySelectorAll('.side > div:first-child .tok.g').length"))!);

        await chrome.ScreenshotAsync(Path.Combine(dir, "viewer-screenshot.png"));
        Assert.True(new FileInfo(Path.Combine(dir, "viewer-screenshot.png")).Length > 10_000);
        Assert.Empty(chrome.Errors);
    }

    // Problem p, sample s: the guided arm's first sample takes over at tokens 1 and 8; p007's guided sample 1 failed.
    private static SampleRecord Traced(int p, int s, string arm)
    {
        var problem = $"p{p:000}";
        var failed = arm == "guided" && p == 7 && s == 1;
        var tag = $" [{problem}]";
        var response = failed ? "" : string.Concat(Words) + (s == 1 && p == 119 ? tag : s == 0 ? tag : "");
        var tokens = failed ? 0 : Words.Length + (response.EndsWith(']') ? 1 : 0);
        var ends = new List<int>();
        var at = 0;
        foreach (var w in Words.Take(Math.Min(tokens, Words.Length)))
        {
            at += w.Length;
            ends.Add(at);
        }
        if (tokens > Words.Length)
        {
            ends.Add(response.Length);
        }
        var takeovers = arm == "guided" && s == 0 ? new[] { 1, 8 } : [];
        var sources = new string([.. Enumerable.Range(0, tokens).Select(i => takeovers.Contains(i) ? 'g' : 'b')]);
        var scores = new byte[2 * tokens];
        for (var i = 0; i < tokens; i++)
        {
            // The guide is consulted on every other token (NaN elsewhere), scoring higher at the takeovers.
            var score = i % 2 == 1 || takeovers.Contains(i) ? (Half)(takeovers.Contains(i) ? 6.5 : 0.2 * i) : Half.NaN;
            BitConverter.TryWriteBytes(scores.AsSpan(2 * i), score);
        }
        var correct = !failed && (arm != "base" || p % 2 == 0);
        return new SampleRecord
        {
            RunId = "traced", Task = "toy-plan", ProblemId = problem, Sample = s, Arm = arm, Prompt = $"Question {problem}: add 3 and 4.",
            Response = response, Extracted = failed ? null : correct ? "7" : "8", Gold = "7", Correct = correct,
            ResponseTokens = tokens, Takeovers = takeovers.Length, Rho = tokens == 0 ? 0 : takeovers.Length / (double)tokens,
            TakeoverPositions = takeovers, Trace = failed ? null : new SampleTokenTrace(sources, Convert.ToBase64String(scores), ends),
            Error = failed ? "prompt longer than the model's context" : null,
        };
    }

    private static async Task<string?> Text(HeadlessChromium chrome, string selector) =>
        (string?)await chrome.EvaluateAsync($"document.querySelector('{selector}').textContent");

    private static string[] Strings(JsonNode? node) => [.. node!.AsArray().Select(n => (string)n!)];
}
