using EvalCluster.Coordinator;

return CoordinatorApp.RunCli(args);
