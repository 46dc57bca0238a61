
namespace EvalCluster.Deploy.Tests.Tls;

/// <summary>deploy/tls/make-dev-certs.sh (used by docker-compose's certs service and for the Kubernetes Secret).</summary>
public sealed class DevCertificateTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "evalcluster-certs-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_script_makes_a_member_certificate_for_client_and_server_that_chains_to_its_ca()
    {
        var (code, output) = await ChildProcess.RunAsync("sh", [RepoPaths.File("deploy", "tls", "make-dev-certs.sh"), _dir, "extra.example"], RepoPaths.Root, TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());

        var verify = await ChildProcess.RunAsync("openssl", ["verify", "-CAfile", Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "tls.crt")], _dir, TimeSpan.FromMinutes(1));
        Assert.True(verify.ExitCode == 0, verify.Output);
        var text = await ChildProcess.RunAsync("openssl", ["x509", "-in", Path.Combine(_dir, "tls.crt"), "-noout", "-text"], _dir, TimeSpan.FromMinutes(1));
        Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text.Output);
        Assert.Contains("DNS:extra.example", text.Output);
        Assert.Contains("DNS:*.evalcluster-silo.evalcluster.svc.cluster.local", text.Output);

        // A second run keeps the existing certificates (silos already trust that CA).
        var before = await File.ReadAllTextAsync(Path.Combine(_dir, "tls.crt"));
        var again = await ChildProcess.RunAsync("sh", [RepoPaths.File("deploy", "tls", "make-dev-certs.sh"), _dir], RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_dir, "tls.crt")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
