using System.ComponentModel;
using System.Text;
using EvalCluster.Evaluation.Grading;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>
/// `grade`: Math-Verify-style grading of gold and prediction texts (bare answers, $...$ or whole responses:
/// both go through the run's extraction, unless --no-extract), from JSONL (file or stdin) or --gold/--prediction.
/// </summary>
public sealed class GradeCommand : Command<GradeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[FILE]")]
        [Description("JSONL file of {\"gold\": ..., \"prediction\": ...} lines; stdin when omitted or \"-\".")]
        public string? File { get; init; }

        [CommandOption("--gold <ANSWER>")]
        [Description("Grade one pair: the reference answer.")]
        public string? Gold { get; init; }

        [CommandOption("--prediction <ANSWER>")]
        [Description("Grade one pair: the predicted answer.")]
        public string? Prediction { get; init; }

        [CommandOption("--no-extract")]
        [Description("Compare gold and prediction as answers, without extracting them from the texts first.")]
        public bool NoExtract { get; init; }

        [CommandOption("--time-limit <SECONDS>")]
        [Description("Time limit per comparison (at most 1 second); a comparison that exceeds it is unequal.")]
        public double TimeLimit { get; init; } = 1.0;

        public override ValidationResult Validate()
        {
            if ((Gold is null) != (Prediction is null))
            {
                return ValidationResult.Error("grade: pass both --gold and --prediction, or neither (then JSONL lines are read)");
            }
            if (Gold is not null && File is not null)
            {
                return ValidationResult.Error($"grade: pass either FILE ({File}) or --gold/--prediction, not both");
            }
            return TimeLimit is > 0 and <= 1 ? ValidationResult.Success() : ValidationResult.Error("grade: --time-limit must be in (0, 1] seconds");
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var grader = new MathGrader(TimeSpan.FromSeconds(settings.TimeLimit));
        if (settings.Gold is not null)
        {
            var result = settings.NoExtract
                ? grader.Grade(settings.Gold, settings.Prediction, cancellationToken)
                : grader.GradeTexts(settings.Gold, settings.Prediction, cancel: cancellationToken);
            Console.Out.WriteLine(GradeLines.Format(result));
            return 0;
        }
        if (settings.File is null or "-")
        {
            GradeLines.Run(Console.In, "<stdin>", Console.Out, grader, !settings.NoExtract, cancellationToken);
        }
        else
        {
            // A bare FileNotFoundException says only "Could not find file"; name what the file should hold.
            if (!System.IO.File.Exists(settings.File))
            {
                throw new FileNotFoundException($"{settings.File}: file not found; pass a JSONL file of {{\"gold\": ..., \"prediction\": ...}} lines, or omit it to read stdin.");
            }
            using var input = new StreamReader(settings.File, Encoding.UTF8);
            GradeLines.Run(input, settings.File, Console.Out, grader, !settings.NoExtract, cancellationToken);
        }
        Console.Out.Flush();
        return 0;
    }
}
