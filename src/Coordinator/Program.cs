using EvalCluster.Coordinator;

return CoordinatorApp.Create().Run(args);
