using System.Text.Json;
using System.Text.Json.Nodes;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// The grade command's core: JSONL lines {"gold": ..., "prediction": ...} in, one line
/// {"equal", "gold_parsed", "prediction_parsed", "gold_extractor", "prediction_extractor"} out per input line
/// (plus "timed_out": true when it ran out of time). With extraction (the default) both texts go through the
/// run's extraction first, as Math-Verify's verify(parse(gold), parse(prediction)); without it they are
/// compared as answers and the extractor fields are left out.
/// </summary>
public static class GradeLines
{
    public static int Run(TextReader input, string inputName, TextWriter output, MathGrader grader, bool extract = true, CancellationToken cancel = default)
    {
        var lineNumber = 0;
        var graded = 0;
        for (var line = input.ReadLine(); line is not null; line = input.ReadLine())
        {
            cancel.ThrowIfCancellationRequested();
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var (gold, prediction) = Parse(line, inputName, lineNumber);
            output.WriteLine(Format(extract ? grader.GradeTexts(gold, prediction, cancel: cancel) : grader.Grade(gold, prediction, cancel)));
            graded++;
        }
        return graded;
    }

    public static string Format(GradeResult r)
    {
        var o = new JsonObject { ["equal"] = r.Equal, ["gold_parsed"] = r.GoldParsed, ["prediction_parsed"] = r.PredictionParsed };
        if (r.GoldExtractor is not null)
        {
            o["gold_extractor"] = r.GoldExtractor;
            o["prediction_extractor"] = r.PredictionExtractor;
        }
        if (r.TimedOut)
        {
            o["timed_out"] = true;
        }
        return o.ToJsonString(RunJson.Line);
    }

    private static (string Gold, string? Prediction) Parse(string line, string inputName, int lineNumber)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new EvaluationException($"{inputName}: line {lineNumber}: malformed JSON ({ex.Message.Split('\n')[0]}); each line must be {{\"gold\": ..., \"prediction\": ...}}.", ex);
        }
        if (node is not JsonObject o)
        {
            throw new EvaluationException($"{inputName}: line {lineNumber}: expected a JSON object; each line must be {{\"gold\": ..., \"prediction\": ...}}.");
        }
        var gold = Text(o["gold"]) ?? throw new EvaluationException($"{inputName}: line {lineNumber}: field gold is missing; add \"gold\": \"...\".");
        if (!o.ContainsKey("prediction"))
        {
            throw new EvaluationException($"{inputName}: line {lineNumber}: field prediction is missing; add \"prediction\": \"...\" (null for no answer).");
        }
        return (gold, Text(o["prediction"]));
    }

    // Numbers are accepted as their JSON text: {"gold": 42} is the answer "42".
    private static string? Text(JsonNode? n) => n switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => n.ToJsonString(),
    };
}
