namespace EvalCluster.Bench;

/// <summary>One benchmark: runs its measurements and prints a Markdown table to stdout.</summary>
public interface IBench
{
    /// <summary>Name used on the command line: `dotnet run -c Release --project bench/Bench -- NAME`.</summary>
    string Name { get; }

    string Description { get; }

    void Run();
}
