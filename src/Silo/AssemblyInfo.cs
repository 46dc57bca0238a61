global using Orleans;
global using Orleans.Hosting;
global using Orleans.Runtime;

namespace EvalCluster.Silo;
