using EvalCluster.Silo.Hosting;

// The silo process: `dotnet run --project src/Silo` (settings in appsettings.json, Silo__Name=... env, or --Silo:Name=...).
try
{
    var app = EvalClusterSilo.Build(EvalClusterSilo.LoadConfiguration(args));
    await app.RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
