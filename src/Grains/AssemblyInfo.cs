global using System.Collections.Immutable;
global using Orleans;
global using Orleans.Concurrency;
global using Orleans.Runtime;

namespace EvalCluster.Grains;
