using System.Text.Json;
using Xunit.Abstractions;

namespace EvalCluster.Inference.Tests.Toy;

/// <summary>Checks the shipped toy pair (models/toy) with ONNX Runtime directly: signature, export fidelity, behaviour.</summary>
public sealed class ToyModelTests(ITestOutputHelper output)
{
    private const int PlanIndex = 5;

    [Theory]
    [InlineData("base")]
    [InlineData("guide")]
    public void The_shipped_model_has_the_decoder_with_past_signature(string role)
    {
        using var runner = new ToyOnnxRunner(role);
        var inputs = runner.Session.InputMetadata;
        var outputs = runner.Session.OutputMetadata;

        Assert.Equal(2 + (2 * ToyOnnxRunner.Layers), inputs.Count);
        Assert.Equal([-1, -1], inputs["input_ids"].Dimensions);
        Assert.Equal([-1, -1], inputs["attention_mask"].Dimensions);
        Assert.Equal([-1, -1, ToyOnnxRunner.Vocab], outputs["logits"].Dimensions);
        for (var i = 0; i < ToyOnnxRunner.Layers; i++)
        {
            foreach (var kind in new[] { "key", "value" })
            {
                Assert.Equal([-1, ToyOnnxRunner.KvHeads, -1, ToyOnnxRunner.HeadDim], inputs[$"past_key_values.{i}.{kind}"].Dimensions);
                Assert.Equal([-1, ToyOnnxRunner.KvHeads, -1, ToyOnnxRunner.HeadDim], outputs[$"present.{i}.{kind}"].Dimensions);
            }
        }

        Assert.True(new FileInfo(Path.Combine(runner.Folder, "model.onnx")).Length <= 10_000_000);
    }

    [Theory]
    [InlineData("base")]
    [InlineData("guide")]
    public void Onnx_logits_match_torch_on_a_left_padded_batch_with_a_hole(string role)
    {
        using var runner = new ToyOnnxRunner(role);
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Inference.Tests", "Toy", $"golden-{role}.json")));
        var ids = ToMatrix(golden.RootElement.GetProperty("input_ids"));
        var mask = ToMatrix(golden.RootElement.GetProperty("attention_mask"));
        var expected = golden.RootElement.GetProperty("last_logits").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

        var (logits, _) = runner.Forward(ids, mask);

        var width = ids.GetLength(1);
        for (var r = 0; r < expected.Length; r++)
        {
            for (var v = 0; v < ToyOnnxRunner.Vocab; v++)
            {
                Assert.Equal(expected[r][v], logits[(((r * width) + width - 1) * ToyOnnxRunner.Vocab) + v], 3e-4f);
            }
        }
    }

    [Fact]
    public void Decoding_with_the_returned_cache_equals_one_full_forward()
    {
        using var runner = new ToyOnnxRunner("guide");
        var prompt = System.Text.Encoding.UTF8.GetBytes("a=3 b=4 c=6 find (a+b)*c\nplan").Select(b => (long)b).ToArray();
        var n = prompt.Length;
        var full = runner.Forward(Row(prompt), Row(Enumerable.Repeat(1L, n).ToArray())).Logits;

        // Prefill all but the last two tokens, then feed the last two with the cache and a hole-free mask.
        var (_, presents) = runner.Forward(Row(prompt[..(n - 2)]), Row(Enumerable.Repeat(1L, n - 2).ToArray()));
        var step = runner.Forward(Row(prompt[(n - 2)..]), Row(Enumerable.Repeat(1L, n).ToArray()), presents, n - 2).Logits;

        for (var v = 0; v < ToyOnnxRunner.Vocab; v++)
        {
            Assert.Equal(full[((n - 1) * ToyOnnxRunner.Vocab) + v], step[(ToyOnnxRunner.Vocab) + v], 1e-4f);
        }
    }

    [Fact]
    public void The_guide_solves_the_test_split_and_the_base_is_unsure_only_at_the_plan()
    {
        // 90 problems keep the test quick; TOY_PLAN_PROBLEMS=270 measures the whole split.
        var count = int.TryParse(Environment.GetEnvironmentVariable("TOY_PLAN_PROBLEMS"), out var n) ? n : 90;
        var split = ToyTestSplit.Load().Take(count).ToList();
        using var guide = new ToyOnnxRunner("guide");
        using var baseModel = new ToyOnnxRunner("base");
        var problems = split.Select(s => s.Problem).ToList();

        var guideOut = guide.Greedy(problems);
        var baseOut = baseModel.Greedy(problems);
        var guideAccuracy = ToyTestSplit.Accuracy(split, guideOut);
        var baseAccuracy = ToyTestSplit.Accuracy(split, baseOut);
        var basePlanTop1 = baseOut.Average(o => o.Top1[PlanIndex]);
        var baseOtherTop1 = baseOut.Average(o => o.Top1.Where((_, i) => i != PlanIndex).Min());
        output.WriteLine($"greedy on {split.Count}: guide {guideAccuracy:F3}, base {baseAccuracy:F3}; base top-1 prob at plan char {basePlanTop1:F3}, lowest elsewhere (mean) {baseOtherTop1:F3}");
        output.WriteLine($"base example: {split[0].Problem} -> {baseOut[0].Text}");

        Assert.True(guideAccuracy >= 0.9, $"guide accuracy {guideAccuracy:F3}");
        Assert.True(baseAccuracy <= 0.7, $"base accuracy {baseAccuracy:F3}");
        Assert.True(basePlanTop1 < 0.9, $"base top-1 at the plan character {basePlanTop1:F3}");
    }

    private static long[,] Row(long[] values)
    {
        var result = new long[1, values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[0, i] = values[i];
        }

        return result;
    }

    private static long[,] ToMatrix(JsonElement rows)
    {
        var list = rows.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        var result = new long[list.Length, list[0].Length];
        for (var r = 0; r < list.Length; r++)
        {
            for (var c = 0; c < list[r].Length; c++)
            {
                result[r, c] = list[r][c];
            }
        }

        return result;
    }
}
