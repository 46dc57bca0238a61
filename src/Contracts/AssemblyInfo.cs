namespace EvalCluster.Contracts;
