using EvalCluster.Inference.Sampling;

namespace EvalCluster.ToyPlan;

/// <summary>
/// Generates the planning-arithmetic splits from one seed. For each structure the 512 value triples over
/// the digits 2..9 are shuffled; the first ones go to test, the next to calibration and the rest form the
/// training pool, so no held-out problem is ever trained on.
/// </summary>
public static class PlanDatasetGenerator
{
    /// <summary>The seed of the shipped dataset and models.</summary>
    public const ulong DefaultSeed = 20260517;

    /// <summary>Share of base training examples that follow the structure's favoured plan.</summary>
    public const double BaseLean = 0.7;

    public const int TestPerStructure = 15;
    public const int CalibrationPerStructure = 6;
    public const int DefaultTrainCount = 40000;

    public static PlanDataset Generate(ulong seed = DefaultSeed, int trainCount = DefaultTrainCount)
    {
        var rng = new SplitMix64(seed);
        var test = new List<PlanProblem>();
        var calibration = new List<PlanProblem>();
        var pools = new List<PlanProblem[]>();
        foreach (var structure in PlanStructures.All)
        {
            var all = AllTriples(structure);
            rng.Shuffle(all);
            test.AddRange(all.Take(TestPerStructure));
            calibration.AddRange(all.Skip(TestPerStructure).Take(CalibrationPerStructure));
            pools.Add([.. all.Skip(TestPerStructure + CalibrationPerStructure)]);
        }

        rng.Shuffle(test);
        rng.Shuffle(calibration);
        var train = new List<PlanTrainingRow>(trainCount);
        for (var i = 0; i < trainCount; i++)
        {
            var pool = pools[rng.Next(pools.Count)];
            var problem = pool[rng.Next(pool.Length)];
            var followsLean = rng.NextDouble() < BaseLean;
            var correct = problem.Structure.BaseFavoursCorrectPlan == followsLean;
            train.Add(new PlanTrainingRow($"toy-plan-train-{i:D5}", problem, correct));
        }

        return new PlanDataset(train, Number(calibration, "calibration"), Number(test, "test"));
    }

    private static List<PlanProblem> AllTriples(PlanStructure structure)
    {
        var result = new List<PlanProblem>();
        for (var a = 2; a <= 9; a++)
        {
            for (var b = 2; b <= 9; b++)
            {
                for (var c = 2; c <= 9; c++)
                {
                    var problem = new PlanProblem(structure, a, b, c);
                    // Only keep problems where the plan decides the answer.
                    if (problem.Answer != problem.WrongAnswer)
                    {
                        result.Add(problem);
                    }
                }
            }
        }

        return result;
    }

    private static (string Id, PlanProblem Problem)[] Number(List<PlanProblem> problems, string split)
    {
        return [.. problems.Select((p, i) => ($"toy-plan-{split}-{i:D4}", p))];
    }
}

/// <summary>The three splits of the planning-arithmetic task; test and calibration never share a problem with train.</summary>
public sealed record PlanDataset(
    IReadOnlyList<PlanTrainingRow> Train,
    IReadOnlyList<(string Id, PlanProblem Problem)> Calibration,
    IReadOnlyList<(string Id, PlanProblem Problem)> Test);

/// <summary>
/// One training example: the problem, and the plan the base model is taught for it (drawn from the
/// structure's lean, so it is often the wrong plan, followed by consistent arithmetic).
/// </summary>
public sealed record PlanTrainingRow(string Id, PlanProblem Problem, bool BaseUsesCorrectPlan)
{
    /// <summary>The solution text the base model learns for this example.</summary>
    public string BaseSolution => BaseUsesCorrectPlan ? Problem.Solution : Problem.WrongSolution;
}
