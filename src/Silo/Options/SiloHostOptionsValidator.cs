using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace EvalCluster.Silo.Options;

/// <summary>Checks the silo's settings at start; every failure says which key to change and how.</summary>
public sealed partial class SiloHostOptionsValidator : IValidateOptions<SiloHostOptions>
{
    private static readonly string[] Clusterings = ["localhost", "redis", "kubernetes"];
    private static readonly string[] Storages = ["memory", "redis"];
    private static readonly string[] PodVariables = ["POD_NAME", "POD_NAMESPACE", "POD_IP"];

    public ValidateOptionsResult Validate(string? name, SiloHostOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Name) || o.Name.Contains('/') || o.Name.Contains('|'))
        {
            errors.Add($"Silo:Name '{o.Name}' must be non-empty without '/' or '|'; set Silo__Name=silo-a");
        }
        if (!Clusterings.Contains(o.Clustering))
        {
            errors.Add($"Silo:Clustering '{o.Clustering}' is not supported; use one of: {string.Join(", ", Clusterings)}");
        }
        if (!Storages.Contains(o.Storage))
        {
            errors.Add($"Silo:Storage '{o.Storage}' is not supported; use one of: {string.Join(", ", Storages)}");
        }
        var needsRedis = o.Clustering is "redis" or "kubernetes" || o.Storage == "redis";
        if (needsRedis && string.IsNullOrWhiteSpace(o.Redis))
        {
            errors.Add($"Silo:Redis is empty but Silo:Clustering={o.Clustering}, Silo:Storage={o.Storage} need it; set Silo__Redis=127.0.0.1:6379 (a StackExchange.Redis connection string)");
        }
        if (o.Clustering == "kubernetes" && PodVariables.FirstOrDefault(v => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))) is { } missing)
        {
            errors.Add($"Silo:Clustering=kubernetes needs the downward-API variable {missing} (POD_NAME, POD_NAMESPACE, POD_IP); set them in the pod spec or use Silo:Clustering=redis outside Kubernetes");
        }
        if (o.Clustering != "localhost" && o.PrimarySiloPort is not null)
        {
            errors.Add($"Silo:PrimarySiloPort is only used by localhost clustering; remove it (Silo:Clustering={o.Clustering} has no primary silo)");
        }
        if (!System.Net.IPAddress.TryParse(o.AdvertisedAddress, out _))
        {
            errors.Add($"Silo:AdvertisedAddress '{o.AdvertisedAddress}' is not an IP address; use e.g. 127.0.0.1 or the node's IP");
        }
        CheckTls(errors, o.Tls);
        CheckPort(errors, "SiloPort", o.SiloPort);
        CheckPort(errors, "GatewayPort", o.GatewayPort);
        if (o.HttpUrl.Length > 0 && !Uri.TryCreate(o.HttpUrl, UriKind.Absolute, out _))
        {
            errors.Add($"Silo:HttpUrl '{o.HttpUrl}' is not an absolute URL; use e.g. http://127.0.0.1:9464 or \"\" to disable");
        }
        if (o.Lanes.Count == 0)
        {
            errors.Add("Silo:Lanes is empty; add at least one lane with Name, Device, Base and Guide model folders");
        }
        for (var i = 0; i < o.Lanes.Count; i++)
        {
            CheckLane(errors, i, o.Lanes[i]);
        }
        foreach (var dup in o.Lanes.GroupBy(l => l.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"Silo:Lanes: lane name '{dup.Key}' is used {dup.Count()} times; give each lane a unique Name");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckLane(List<string> errors, int i, LaneOptions lane)
    {
        var at = $"Silo:Lanes:{i}";
        if (string.IsNullOrWhiteSpace(lane.Name) || lane.Name.Contains('/') || lane.Name.Contains('|'))
        {
            errors.Add($"{at}:Name '{lane.Name}' must be non-empty without '/' or '|'; e.g. lane0");
        }
        if (!DevicePattern().IsMatch(lane.Device))
        {
            errors.Add($"{at}:Device '{lane.Device}' is not a device; use cpu or cuda:N (N = GPU index)");
        }
        CheckFolder(errors, $"{at}:Base", lane.Base, required: true);
        CheckFolder(errors, $"{at}:Guide", lane.Guide, required: true);
        CheckFolder(errors, $"{at}:Reference", lane.Reference, required: false);
        if (lane.KvBudgetBytes <= 0)
        {
            errors.Add($"{at}:KvBudgetBytes {lane.KvBudgetBytes} must be positive; e.g. 2147483648 for 2 GiB");
        }
    }

    private static void CheckFolder(List<string> errors, string key, string? folder, bool required)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            if (required)
            {
                errors.Add($"{key} is empty; set it to a model folder (config.json, model.onnx, tokenizer.json)");
            }
            return;
        }
        if (!Directory.Exists(folder))
        {
            errors.Add($"{key}: folder '{folder}' does not exist; fix the path (relative paths start at {Environment.CurrentDirectory})");
        }
    }

    private static void CheckTls(List<string> errors, TlsFileOptions tls)
    {
        if (!tls.Enabled)
        {
            if (tls.KeyPath.Length > 0 || tls.CaPath.Length > 0)
            {
                errors.Add("Silo:Tls:KeyPath/CaPath are set without Silo:Tls:CertificatePath; set the certificate too, or remove them to run without TLS");
            }
            return;
        }
        CheckFile(errors, "Silo:Tls:CertificatePath", tls.CertificatePath);
        var pfx = tls.CertificatePath.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || tls.CertificatePath.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);
        if (!pfx && tls.KeyPath.Length == 0)
        {
            errors.Add("Silo:Tls:KeyPath is empty; a PEM certificate needs its PEM private key (or use a .pfx certificate)");
        }
        if (tls.KeyPath.Length > 0)
        {
            CheckFile(errors, "Silo:Tls:KeyPath", tls.KeyPath);
        }
        if (tls.CaPath.Length == 0)
        {
            errors.Add("Silo:Tls:CaPath is empty; set the PEM CA certificate that every silo's and client's certificate chains to");
        }
        else
        {
            CheckFile(errors, "Silo:Tls:CaPath", tls.CaPath);
        }
    }

    private static void CheckFile(List<string> errors, string key, string path)
    {
        if (!File.Exists(path))
        {
            errors.Add($"{key}: file '{path}' does not exist; fix the path (relative paths start at {Environment.CurrentDirectory})");
        }
    }

    private static void CheckPort(List<string> errors, string key, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add($"Silo:{key} {port} is out of range; use 0-65535");
        }
    }

    [GeneratedRegex("^(cpu|cuda:[0-9]+)$")]
    private static partial Regex DevicePattern();
}
