using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Models;
using EvalCluster.Silo.Options;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace EvalCluster.Silo.Hosting;

/// <summary>
/// Builds the silo host: an ASP.NET Core app serving Prometheus /metrics and /health (loopback unless
/// configured) around an Orleans silo. Options come from the given configuration and are validated before
/// anything starts, so a bad value fails with a message that says how to fix it.
/// </summary>
public static class EvalClusterSilo
{
    /// <summary>Grain-call latency edges in milliseconds: one millisecond to ten minutes.</summary>
    public static readonly double[] GrainCallMillisecondsBuckets =
        [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000, 600000];

    public static WebApplication Build(IConfiguration configuration, IModelLoader? loader = null)
    {
        var options = Validate(configuration);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(options.HttpUrl);
        // The validated options (paths resolved) are the silo's one copy; nothing re-binds the section.
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.Services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.Section);
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo");
        // EvalCluster's histograms carry their bucket edges (ClusterInstruments); Orleans' grain-call latency gets
        // edges up to minutes here, because a generation call lasts as long as its response.
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(ClusterInstruments.MeterName, "Microsoft.Orleans")
            .AddView("orleans-app-requests-latency", new ExplicitBucketHistogramConfiguration { Boundaries = GrainCallMillisecondsBuckets })
            .AddPrometheusExporter());
        builder.UseOrleans(silo => silo.AddEvalClusterSilo(options, loader));
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        // The body says why (membership unreachable, which lane failed to load), not only "Unhealthy".
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = (context, report) => context.Response.WriteAsync(
                $"{report.Status}: {string.Join("; ", report.Entries.Values.Select(e => e.Description))}"),
        });
        return app;
    }

    /// <summary>
    /// Binds and validates the "Silo" section; throws one ArgumentException listing every fix. An unknown key is
    /// an error (a misspelt setting must not be ignored); relative file paths resolve against the working directory
    /// once, here, so the silo's later loads do not depend on it.
    /// </summary>
    public static SiloHostOptions Validate(IConfiguration configuration)
    {
        SiloHostOptions options;
        try
        {
            options = configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>(b => b.ErrorOnUnknownConfiguration = true) ?? new SiloHostOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException($"invalid silo configuration: {UnknownKeys(ex.Message)}; check the spelling against the Silo keys in README.md");
        }
        if (options.Clustering == "kubernetes" && Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod)
        {
            options.Name = pod;
        }
        ResolvePaths(options);
        var result = new SiloHostOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException("invalid silo configuration: " + string.Join("; ", result.Failures));
        }
        return options;
    }

    // The binder names the options type and the keys it did not know: say it in configuration terms.
    private static string UnknownKeys(string binderMessage)
    {
        var at = binderMessage.IndexOf("not found on the instance of ", StringComparison.Ordinal);
        if (at < 0)
        {
            return binderMessage.Split('\n')[0];
        }
        var rest = binderMessage[(at + "not found on the instance of ".Length)..];
        var colon = rest.IndexOf(':');
        var section = rest[..Math.Max(0, colon)].Split('.')[^1] switch
        {
            nameof(TlsFileOptions) => "Silo:Tls",
            nameof(MembershipTimingOptions) => "Silo:Membership",
            nameof(LaneOptions) => "Silo:Lanes:N",
            _ => "Silo",
        };
        return $"unknown key(s) under {section}: {rest[(colon + 1)..].Trim()}";
    }

    private static void ResolvePaths(SiloHostOptions o)
    {
        static string Full(string path) => path.Length == 0 ? path : Path.GetFullPath(path);
        foreach (var lane in o.Lanes)
        {
            lane.Base = Full(lane.Base);
            lane.Guide = Full(lane.Guide);
            lane.Reference = lane.Reference is null ? null : Full(lane.Reference);
        }
        o.Tls.CertificatePath = Full(o.Tls.CertificatePath);
        o.Tls.KeyPath = Full(o.Tls.KeyPath);
        o.Tls.CaPath = Full(o.Tls.CaPath);
    }

    /// <summary>The configuration of the silo program: appsettings.json beside the binary, environment, arguments.</summary>
    public static IConfiguration LoadConfiguration(string[] args) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args)
        .Build();
}
