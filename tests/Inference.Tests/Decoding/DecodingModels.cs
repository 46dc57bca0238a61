using System.Text;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Decoding;

/// <summary>
/// A real ONNX base/guide pair from <see cref="TestModelWriter"/> (different depths and seeds, one byte-level
/// vocabulary) and helpers that decode a fixed set of prompts with one arm. Each model keeps its own prompt:
/// plain text for the base, a ChatML-like wrapping for the guide.
/// </summary>
public sealed class DecodingModels : IDisposable
{
    public static readonly IReadOnlySet<int> Eos = new HashSet<int> { ByteTokenizerFiles.EndOfText, ByteTokenizerFiles.ImEnd };

    private static readonly string[] Questions = ["What is 2+3?", "Plan: 7*8-5", "Compute 12/4 then add 9.", "x"];

    public DecodingModels()
    {
        BaseDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 41, WeightScale: 2f), "base");
        GuideDir = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 3, Seed: 42, WeightScale: 2f, ChatTemplate: true), "guide");
        Base = OnnxCausalLm.Load(BaseDir, ExecutionOptions.Cpu);
        Guide = OnnxCausalLm.Load(GuideDir, ExecutionOptions.Cpu);
    }

    public string BaseDir { get; }

    public string GuideDir { get; }

    public OnnxCausalLm Base { get; }

    public OnnxCausalLm Guide { get; }

    public static int PromptCount => Questions.Length;

    public static int[] BasePrompt(int i) => Encoding.ASCII.GetBytes($"Q: {Questions[i]}\nA:").Select(b => (int)b).ToArray();

    public static int[] GuidePrompt(int i) =>
        [ByteTokenizerFiles.ImStart, .. Encoding.ASCII.GetBytes($"user\n{Questions[i]}"), ByteTokenizerFiles.ImEnd, ByteTokenizerFiles.ImStart];

    /// <summary>Decodes every prompt (times <paramref name="copies"/>, each with its own seed) with a fresh gate per sequence.</summary>
    public DecodeResult Run(Func<int, IGate> gate, GuideMode mode, int maxNewTokens = 24, int? cap = null,
        SamplingOptions? sampling = null, int copies = 1, bool withBase = true, bool withGuide = true)
    {
        var requests = Enumerable.Range(0, PromptCount * copies).Select(i => new DecodeRequest(
            new GuidedSequence(gate(i), DivergenceKind.CrossEntropy, sampling ?? SamplingOptions.Greedy,
                new SequenceRandom((ulong)i + 7), maxNewTokens, Eos, cap),
            BasePrompt(i % PromptCount), GuidePrompt(i % PromptCount))).ToList();
        return new DualModelDecoder(withBase ? Base : null, withGuide ? Guide : null, mode).Decode(requests);
    }

    /// <summary>The base's log-probabilities after its prompt and the given response prefix, from a fresh session.</summary>
    public float[] BareBase(int prompt, IEnumerable<int> prefix)
    {
        var session = Base.OpenSession();
        var result = Base.Forward([new ForwardRequest(session, BasePrompt(prompt).Concat(prefix).ToArray())])[0].Last;
        Base.CloseSession(session);
        return result;
    }

    public void Dispose()
    {
        Base.Dispose();
        Guide.Dispose();
    }
}
