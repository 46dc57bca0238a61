using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EvalCluster.Grains.Metrics;

namespace EvalCluster.Grains.Tests;

/// <summary>Listens to the cluster's meter while alive and keeps every measurement by instrument name.</summary>
public sealed class MetricCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<(double Value, KeyValuePair<string, object?>[] Tags)>> _values = new();

    public MetricCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ClusterInstruments.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public IReadOnlyList<(double Value, KeyValuePair<string, object?>[] Tags)> Values(string instrument) =>
        _values.TryGetValue(instrument, out var bag) ? [.. bag] : [];

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _values.GetOrAdd(instrument.Name, _ => []).Add((value, tags.ToArray()));
}
