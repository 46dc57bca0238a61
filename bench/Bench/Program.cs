using System.Reflection;
using EvalCluster.Bench;

// Bench commands print Markdown tables (copied into bench/README.md). Each IBench in this assembly is one command.
var benches = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBench).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
    .Select(t => (IBench)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name)
    .ToList();
var wanted = args.Length == 0 ? benches.Select(b => b.Name).ToList() : args.ToList();
foreach (var name in wanted)
{
    var bench = benches.FirstOrDefault(b => b.Name == name);
    if (bench is null)
    {
        Console.Error.WriteLine($"error: unknown bench '{name}'; known: {string.Join(", ", benches.Select(b => b.Name))}");
        return 1;
    }
    Console.WriteLine($"## {bench.Name}: {bench.Description}");
    Console.WriteLine();
    bench.Run();
    Console.WriteLine();
}
return 0;
