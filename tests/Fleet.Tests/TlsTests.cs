namespace EvalCluster.Fleet.Tests;

/// <summary>
/// Two silo processes with mutual TLS (certificates from a CA made by the test) on Redis membership: a coordinator
/// with a certificate of that CA runs; one without a certificate, and one whose certificate another CA signed, are
/// refused with one line and a non-zero exit, and leave no run folder behind.
/// </summary>
public sealed class TlsTests
{
    [Fact]
    public async Task The_cluster_serves_a_client_with_a_certificate_of_its_CA_and_refuses_others()
    {
        using var certificates = new TestCertificates();
        using var stranger = new TestCertificates("Some other CA");
        var silo0 = certificates.Issue("silo-0");
        var silo1 = certificates.Issue("silo-1");
        using var fleet = new Fleet(2, i => i == 0 ? Tls(silo0, certificates.CaPath) : Tls(silo1, certificates.CaPath));
        await fleet.WaitHealthyAsync(TimeSpan.FromMinutes(3));
        var outDir = Directory.CreateTempSubdirectory("fleet-tls-run-").FullName;
        try
        {
            var client = certificates.Issue("client");
            var foreign = stranger.Issue("client");
            // At once: a refused client waits out the coordinator's connect bound (30 s) before it gives up.
            var runs = await Task.WhenAll(
                RunAsync(fleet, outDir, "anonymous", []),
                RunAsync(fleet, outDir, "wrong-ca", ["--tls-cert", foreign.Cert, "--tls-key", foreign.Key, "--tls-ca", certificates.CaPath]),
                RunAsync(fleet, outDir, "trusted", ["--tls-cert", client.Cert, "--tls-key", client.Key, "--tls-ca", certificates.CaPath]));
            var (anonymous, wrongCa, trusted) = (runs[0], runs[1], runs[2]);

            Assert.True(trusted.Rc == 0, $"the client with the CA's certificate failed ({trusted.Rc}):\n{trusted.Output}");
            Assert.Equal(4, File.ReadLines(Path.Combine(outDir, "trusted", "samples.jsonl")).Count());
            foreach (var (name, refused) in new[] { ("anonymous", anonymous), ("wrong-ca", wrongCa) })
            {
                Assert.True(refused.Rc != 0, $"{name}: the cluster served a client it must refuse:\n{refused.Output}");
                var error = refused.Output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
                Assert.True(error.Count == 1 && error[0].Contains("cannot connect", StringComparison.Ordinal), $"{name}: expected one 'error: ... cannot connect' line:\n{refused.Output}");
                Assert.False(Directory.Exists(Path.Combine(outDir, name)), $"{name}: a refused run left a run folder");
            }
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static string[] Tls((string Cert, string Key) files, string ca) =>
        [$"--Silo:Tls:CertificatePath={files.Cert}", $"--Silo:Tls:KeyPath={files.Key}", $"--Silo:Tls:CaPath={ca}"];

    private static async Task<(int Rc, string Output)> RunAsync(Fleet fleet, string outDir, string runId, string[] tls)
    {
        using var coordinator = ChildProcess.StartProgram($"coordinator-{runId}", "Coordinator",
            ["run", "--limit", "2", "--arms", "base,guided", "--max-in-flight", "4", "--run-id", runId, "--out", outDir, "--cluster", fleet.ClusterTarget, .. tls]);
        var rc = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(2));
        return (rc, coordinator.Output);
    }
}
