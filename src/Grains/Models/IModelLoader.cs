namespace EvalCluster.Grains.Models;

/// <summary>Opens a model folder on a device for a role (the seam tests and other back ends plug into).</summary>
public interface IModelLoader
{
    LoadedModel Load(string folder, string device, string role);
}
