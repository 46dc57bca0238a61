using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Calibration;

/// <summary>
/// The `calibrate` pipeline: roll out the base alone on each calibration prompt while the guide follows every
/// token (eager), collect every step's score, and derive tau and lambda for every r from them (<see cref="Calibrator"/>).
/// </summary>
public sealed class CalibrationRun(ModelFolder baseFolder, ICausalLm baseModel, ModelFolder guideFolder, ICausalLm guideModel)
{
    /// <summary>Calibrates on raw problems, each rendered by the models' own templates only.</summary>
    public CalibrationFile Run(IReadOnlyList<string> prompts, CalibrationSettings settings) => Run(prompts, prompts, settings);

    /// <summary>
    /// Calibrates with the prompts a run will use: <paramref name="basePrompts"/> are fed to the base as they
    /// are (a task's base prompt), <paramref name="guideMessages"/> go through the guide's chat template.
    /// </summary>
    public CalibrationFile Run(IReadOnlyList<string> basePrompts, IReadOnlyList<string> guideMessages, CalibrationSettings settings)
    {
        var prompts = basePrompts;
        if (guideMessages.Count != basePrompts.Count)
        {
            throw new ArgumentException("base prompts and guide messages must pair up one to one");
        }
        if (prompts.Count == 0)
        {
            throw new InferenceException("no calibration prompts; pass a JSONL file with a \"problem\" field per line.");
        }
        if (settings.Window < 1)
        {
            throw new InferenceException($"window must be at least 1 (got {settings.Window}); pass --window with a positive number of tokens.");
        }
        var eos = baseFolder.Tokenizer.EosTokenIds.Concat(guideFolder.Tokenizer.EosTokenIds).ToHashSet();
        var baseTemplate = baseFolder.Tokenizer.Template(thinking: false);
        var guideTemplate = guideFolder.Tokenizer.Template(thinking: true);
        var decoder = new DualModelDecoder(baseModel, guideModel, GuideMode.Eager, ids => baseFolder.Tokenizer.Tokenizer.Decode(ids));
        var scores = new List<double>();
        for (var start = 0; start < prompts.Count; start += settings.BatchSize)
        {
            var requests = prompts.Skip(start).Take(settings.BatchSize).Select((p, i) => new DecodeRequest(
                new GuidedSequence(new BaseGate(), settings.Score, settings.Sampling ?? SamplingOptions.Greedy,
                    SequenceRandom.Derive(settings.Seed, (start + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, "calibrate"),
                    settings.MaxNewTokens, eos) { StopStrings = settings.Stop ?? [] },
                baseFolder.Tokenizer.Tokenizer.Encode(baseTemplate.Render(p)),
                guideFolder.Tokenizer.Tokenizer.Encode(guideTemplate.Render(guideMessages[start + i])))).ToList();
            foreach (var sequence in decoder.Decode(requests).Sequences)
            {
                scores.AddRange(sequence.Trace.Select(t => t.Score));
            }
        }
        var entries = Calibrator.Calibrate(scores, settings.Rs);
        return new CalibrationFile
        {
            Entries = [.. entries.Select(e => settings.Lambda is { } fixedLambda ? e with { Lambda = fixedLambda } : e)],
            Window = settings.Window,
            Task = settings.Task,
            PromptTemplateSha256 = settings.PromptTemplateSha256,
            Score = Divergence.DivergenceScore.Name(settings.Score),
            Base = ModelIdentity.Of(baseFolder),
            Guide = ModelIdentity.Of(guideFolder),
            Tokens = scores.Count,
            Prompts = prompts.Count,
        };
    }
}
