using System.Security.Cryptography.X509Certificates;
using EvalCluster.Silo.Options;
using Orleans.Connections.Security;

namespace EvalCluster.Silo.Hosting;

/// <summary>
/// Mutual TLS for silos and clients from certificate files: each side presents its certificate and accepts a
/// peer only when the peer's certificate chains to the configured CA (host names are not checked: silos are
/// addressed by IP). A peer without a certificate, or with one from another CA, is refused.
/// </summary>
public static class MutualTls
{
    public static ISiloBuilder UseMutualTls(this ISiloBuilder silo, TlsFileOptions files)
    {
        var (certificate, ca) = Load(files);
        return silo.UseTls(certificate, o => Configure(o, ca));
    }

    public static IClientBuilder UseMutualTls(this IClientBuilder client, TlsFileOptions files)
    {
        var (certificate, ca) = Load(files);
        return client.UseTls(certificate, o => Configure(o, ca));
    }

    /// <summary>The local certificate (with its private key) and the CA; a bad file fails with one line naming it.</summary>
    public static (X509Certificate2 Certificate, X509Certificate2 Ca) Load(TlsFileOptions files)
    {
        try
        {
            var pfx = files.KeyPath.Length == 0;
            var certificate = pfx
                ? X509CertificateLoader.LoadPkcs12FromFile(files.CertificatePath, password: null)
                : X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
            if (!certificate.HasPrivateKey)
            {
                throw new ArgumentException($"TLS certificate '{files.CertificatePath}' has no private key; give its key file (PEM) or a .pfx that includes it.");
            }
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(files.CaPath));
            return (certificate, ca);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new ArgumentException($"TLS files '{files.CertificatePath}'{(files.KeyPath.Length > 0 ? $", '{files.KeyPath}'" : "")}, '{files.CaPath}' cannot be read: {ex.Message}");
        }
    }

    /// <summary>True when the certificate chains to the CA (the CA as the only trusted root; no revocation lists on a private CA).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static void Configure(TlsOptions o, X509Certificate2 ca)
    {
        o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        o.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        o.RemoteCertificateValidation = (certificate, _, _) => ChainsTo(certificate, ca);
    }
}
