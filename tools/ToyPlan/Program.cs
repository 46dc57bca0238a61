using EvalCluster.ToyPlan;

// Usage: ToyPlan gen --out DIR [--seed N] [--train N]
if (args.Length < 1 || args[0] != "gen")
{
    Console.Error.WriteLine("usage: ToyPlan gen --out DIR [--seed N] [--train N]");
    return 2;
}

string? outDir = null;
var seed = PlanDatasetGenerator.DefaultSeed;
var trainCount = PlanDatasetGenerator.DefaultTrainCount;
for (var i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--out":
            outDir = args[i + 1];
            break;
        case "--seed":
            seed = ulong.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--train":
            trainCount = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option '{args[i]}': use --out DIR, --seed N or --train N");
            return 2;
    }
}

if (outDir is null)
{
    Console.Error.WriteLine("missing --out DIR: name the folder that receives train/calibration/test .jsonl");
    return 2;
}

var dataset = PlanDatasetGenerator.Generate(seed, trainCount);
PlanJsonlWriter.WriteAll(dataset, outDir);
Console.WriteLine($"wrote {dataset.Train.Count} train, {dataset.Calibration.Count} calibration, {dataset.Test.Count} test problems to {outDir}");
return 0;
