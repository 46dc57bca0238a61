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
        builder.Services.AddOptions<SiloHostOptions>().BindConfiguration(SiloHostOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidator>();
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
        app.MapHealthChecks("/health");
        return app;
    }

    /// <summary>Binds and validates the "Silo" section; throws one ArgumentException listing every fix.</summary>
    public static SiloHostOptions Validate(IConfiguration configuration)
    {
        var options = configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        var result = new SiloHostOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ArgumentException("invalid silo configuration: " + string.Join("; ", result.Failures));
        }
        return options;
    }

    /// <summary>The configuration of the silo program: appsettings.json beside the binary, environment, arguments.</summary>
    public static IConfiguration LoadConfiguration(string[] args) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args)
        .Build();
}
