using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Inference.Tests.Toy;

/// <summary>
/// Drives a shipped toy model straight through ONNX Runtime (no engine code), so the exported files are
/// checked independently of the engine: full forwards with a zero-length past, left padding, greedy decoding.
/// </summary>
internal sealed class ToyOnnxRunner : IDisposable
{
    public const int Layers = 4;
    public const int KvHeads = 2;
    public const int HeadDim = 24;
    public const int Vocab = 258;
    public const int Eos = 256;

    private readonly InferenceSession _session;

    public ToyOnnxRunner(string role)
    {
        Folder = Path.Combine(RepoPaths.Root, "models", "toy", role);
        _session = new InferenceSession(Path.Combine(Folder, "model.onnx"));
    }

    public string Folder { get; }

    public InferenceSession Session => _session;

    /// <summary>Logits [B,S,V] for rows of equal length, with the given mask and an optional past.</summary>
    public (float[] Logits, float[][] Presents) Forward(long[,] ids, long[,] mask, float[][]? past = null, int pastLength = 0)
    {
        var (b, s) = (ids.GetLength(0), ids.GetLength(1));
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(Flatten(ids), [b, s])),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(Flatten(mask), [b, mask.GetLength(1)])),
        };
        for (var i = 0; i < Layers; i++)
        {
            foreach (var (kind, j) in new[] { ("key", 0), ("value", 1) })
            {
                var data = past?[2 * i + j] ?? [];
                inputs.Add(NamedOnnxValue.CreateFromTensor($"past_key_values.{i}.{kind}", new DenseTensor<float>(data, [b, KvHeads, pastLength, HeadDim])));
            }
        }

        using var results = _session.Run(inputs);
        var logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
        var presents = new float[2 * Layers][];
        for (var i = 0; i < Layers; i++)
        {
            presents[2 * i] = results.First(r => r.Name == $"present.{i}.key").AsTensor<float>().ToArray();
            presents[2 * i + 1] = results.First(r => r.Name == $"present.{i}.value").AsTensor<float>().ToArray();
        }

        return (logits, presents);
    }

    /// <summary>
    /// Greedy completion of each prompt (problem + "\n", bytes as ids): one left-padded prefill with a
    /// zero-length past, then one token per step with the returned presents fed back as the past.
    /// Also returns each row's top-1 probability at every generated position.
    /// </summary>
    public (string Text, List<float> Top1)[] Greedy(IReadOnlyList<string> problems, int maxNew = 48)
    {
        var prompts = problems.Select(p => System.Text.Encoding.UTF8.GetBytes(p + "\n")).ToList();
        var (b, width) = (prompts.Count, prompts.Max(p => p.Length));
        var ids = new long[b, width];
        var mask = new List<long[]>();
        for (var r = 0; r < b; r++)
        {
            var row = new long[width];
            var offset = width - prompts[r].Length;
            for (var t = 0; t < prompts[r].Length; t++)
            {
                ids[r, offset + t] = prompts[r][t];
                row[offset + t] = 1;
            }

            mask.Add(row);
        }

        var generated = prompts.Select(_ => new List<byte>()).ToList();
        var top1 = prompts.Select(_ => new List<float>()).ToList();
        var done = new bool[b];
        var (logits, past) = Forward(ids, ToMatrix(mask));
        var (seq, pastLength) = (width, 0);
        for (var step = 0; step < maxNew && done.Contains(false); step++)
        {
            var next = new long[b, 1];
            for (var r = 0; r < b; r++)
            {
                var (best, prob) = ArgMax(logits.AsSpan(((r * seq) + seq - 1) * Vocab, Vocab));
                next[r, 0] = best;
                if (done[r])
                {
                    continue;
                }

                top1[r].Add(prob);
                if (best == Eos)
                {
                    done[r] = true;
                }
                else
                {
                    generated[r].Add((byte)best);
                }
            }

            pastLength += seq;
            seq = 1;
            mask = [.. mask.Select(m => m.Append(1L).ToArray())];
            (logits, past) = Forward(next, ToMatrix(mask), past, pastLength);
        }

        return [.. generated.Select((g, r) => (System.Text.Encoding.UTF8.GetString([.. g]), top1[r]))];
    }

    private static long[,] ToMatrix(List<long[]> rows)
    {
        var result = new long[rows.Count, rows[0].Length];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                result[r, c] = rows[r][c];
            }
        }

        return result;
    }

    public void Dispose()
    {
        _session.Dispose();
    }

    private static (int Index, float Prob) ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        var sum = 0.0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - logits[best]);
        }

        return (best, (float)(1.0 / sum));
    }

    private static T[] Flatten<T>(T[,] values)
    {
        return [.. values.Cast<T>()];
    }
}
