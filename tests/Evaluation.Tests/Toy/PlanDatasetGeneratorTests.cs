using System.Globalization;
using System.Text.RegularExpressions;
using EvalCluster.ToyPlan;

namespace EvalCluster.Evaluation.Tests.Toy;

public sealed class PlanDatasetGeneratorTests
{
    private static readonly PlanDataset _dataset = PlanDatasetGenerator.Generate(trainCount: 2000);

    [Fact]
    public void The_same_seed_writes_byte_identical_files()
    {
        var first = Serialise(PlanDatasetGenerator.Generate(7, 500));
        var second = Serialise(PlanDatasetGenerator.Generate(7, 500));

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_different_seed_gives_a_different_test_split()
    {
        Assert.NotEqual(Serialise(PlanDatasetGenerator.Generate(7, 10)), Serialise(PlanDatasetGenerator.Generate(8, 10)));
    }

    [Fact]
    public void Every_answer_matches_an_independent_evaluation_of_the_problem()
    {
        var all = _dataset.Test.Concat(_dataset.Calibration).Select(r => r.Problem)
            .Concat(_dataset.Train.Select(r => r.Problem));
        foreach (var problem in all)
        {
            var expected = ToyPlanExpression.Evaluate(problem.Problem).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(expected, problem.Answer);
            Assert.EndsWith($"\\boxed{{{expected}}}", problem.Solution, StringComparison.Ordinal);
            Assert.NotEqual(expected, problem.WrongAnswer);
        }
    }

    [Fact]
    public void Every_solution_step_is_correct_arithmetic_for_both_plans()
    {
        var step = new Regex(@"^(-?\d+)([+\-*])(-?\d+)=(-?\d+)$");
        foreach (var row in _dataset.Train)
        {
            foreach (var solution in new[] { row.Problem.Solution, row.Problem.WrongSolution })
            {
                var parts = solution.Split("; ");
                Assert.Equal(4, parts.Length);
                foreach (var text in parts[1..3])
                {
                    var m = step.Match(text);
                    Assert.True(m.Success, text);
                    var (x, y) = (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
                    var r = m.Groups[2].Value switch { "+" => x + y, "-" => x - y, _ => x * y };
                    Assert.Equal(r.ToString(CultureInfo.InvariantCulture), m.Groups[4].Value);
                }
            }
        }
    }

    [Fact]
    public void The_plan_character_is_the_only_early_difference_between_the_two_plans()
    {
        foreach (var (_, problem) in _dataset.Test)
        {
            Assert.Equal(problem.Solution[..PlanProblem.PlanIndex], problem.WrongSolution[..PlanProblem.PlanIndex]);
            Assert.NotEqual(problem.Solution[PlanProblem.PlanIndex], problem.WrongSolution[PlanProblem.PlanIndex]);
        }
    }

    [Fact]
    public void Held_out_problems_never_appear_in_training_and_every_structure_is_balanced()
    {
        var train = _dataset.Train.Select(r => r.Problem.Problem).ToHashSet();
        var heldOut = _dataset.Test.Concat(_dataset.Calibration).Select(r => r.Problem.Problem).ToList();

        Assert.DoesNotContain(heldOut, train.Contains);
        Assert.Equal(heldOut.Count, heldOut.Distinct().Count());
        Assert.True(PlanStructures.All.Count >= 12);
        Assert.All(_dataset.Test.GroupBy(r => r.Problem.Structure.Index), g => Assert.Equal(PlanDatasetGenerator.TestPerStructure, g.Count()));
        Assert.Equal(PlanStructures.All.Count, _dataset.Test.Select(r => r.Problem.Structure.Index).Distinct().Count());
    }

    [Fact]
    public void Base_training_plans_lean_towards_each_structures_favoured_plan()
    {
        foreach (var group in PlanDatasetGenerator.Generate(trainCount: 20000).Train.GroupBy(r => r.Problem.Structure))
        {
            var correctShare = group.Average(r => r.BaseUsesCorrectPlan ? 1.0 : 0.0);
            Assert.Equal(group.Key.BaseFavoursCorrectPlan, correctShare > 0.5);
        }
    }

    [Fact]
    public void The_shipped_test_file_is_what_the_generator_writes()
    {
        var shipped = Path.Combine(RepoPaths.Root, "data", "toy-plan.jsonl");
        var expected = PlanJsonlWriter.ToJsonl(_dataset.Test, (w, r) =>
        {
            w.WriteString("id", r.Id);
            w.WriteString("problem", r.Problem.Problem);
            w.WriteString("answer", r.Problem.Answer);
        });

        Assert.Equal(expected, File.ReadAllText(shipped));
    }

    private static string Serialise(PlanDataset dataset)
    {
        var dir = Path.Combine(Path.GetTempPath(), "toy-plan-" + Guid.NewGuid().ToString("N"));
        try
        {
            PlanJsonlWriter.WriteAll(dataset, dir);
            return string.Concat(new[] { "train", "calibration", "test" }.Select(n => File.ReadAllText(Path.Combine(dir, n + ".jsonl"))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
