Console.WriteLine("EvalCluster silo: not yet implemented");
