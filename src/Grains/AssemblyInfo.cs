namespace EvalCluster.Grains;
