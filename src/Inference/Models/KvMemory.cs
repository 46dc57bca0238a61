using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EvalCluster.Inference.Models;

/// <summary>
/// The memory a model's resident KV pool, attention masks and step outputs live in (the model's device), and the
/// few operations the engine needs there: allocate zeroed, free, zero, strided copies inside it, and small copies
/// from and to the host. <see cref="Host"/> is native host memory (CPU execution provider: every copy a memcpy);
/// <see cref="Cuda"/> is device memory of one GPU through the CUDA runtime, so on a GPU the cache never crosses
/// PCIe: past is bound straight from the pool, new positions are copied device-to-device and only ids, positions,
/// mask updates and the needed logits rows cross to or from the host.
/// </summary>
internal abstract unsafe class KvMemory : IDisposable
{
    private long[] _ones = [];

    /// <summary>The device as SessionFactory names it: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public abstract string Device { get; }

    /// <summary>The ONNX Runtime location of this memory, for tensors bound over it.</summary>
    public abstract OrtMemoryInfo Info { get; }

    /// <summary>True when the CPU can read and write this memory directly.</summary>
    public abstract bool IsHost { get; }

    /// <summary>Memory, zeroed unless <paramref name="zeroed"/> is false (the KV pool and masks must be: masked positions
    /// still enter the attention product, and NaNs would survive the mask; a graph output buffer need not be).</summary>
    public abstract byte* Allocate(long bytes, bool zeroed = true);

    public abstract void Free(byte* p);

    public abstract void Zero(byte* p, long bytes);

    /// <summary>Copies <paramref name="height"/> runs of <paramref name="width"/> bytes, the source runs
    /// <paramref name="sourcePitch"/> bytes apart, the destination runs <paramref name="destinationPitch"/> apart;
    /// both in this memory. Asynchronous where the device allows: <see cref="Synchronize"/> before reading.</summary>
    public abstract void Copy2D(byte* destination, long destinationPitch, byte* source, long sourcePitch, long width, long height);

    public abstract void Upload(byte* destination, ReadOnlySpan<byte> source);

    public abstract void Download(Span<byte> destination, byte* source);

    /// <summary>Waits for copies issued so far.</summary>
    public virtual void Synchronize()
    {
    }

    public virtual void Dispose()
    {
    }

    /// <summary>Writes <paramref name="count"/> int64 ones at <paramref name="destination"/> (attention-mask entries).</summary>
    public void FillOnes(long* destination, long count)
    {
        if (count <= 0)
        {
            return;
        }
        if (IsHost)
        {
            new Span<long>(destination, checked((int)count)).Fill(1);
            return;
        }
        if (_ones.Length < count)
        {
            _ones = new long[Math.Max(count, 2 * _ones.Length)];
            _ones.AsSpan().Fill(1);
        }
        Upload((byte*)destination, MemoryMarshal.AsBytes(_ones.AsSpan(0, (int)count)));
    }

    /// <summary>The memory for sessions on <paramref name="device"/> (<c>cpu</c> or <c>cuda:N</c>, as SessionFactory reports it).</summary>
    public static KvMemory For(string device) =>
        SessionFactory.ParseDevice(device) is ("cuda", var index) ? new CudaKvMemory(index) : new HostKvMemory();
}

/// <summary>Native host memory, 64-byte aligned.</summary>
internal sealed unsafe class HostKvMemory : KvMemory
{
    public override string Device => "cpu";

    public override OrtMemoryInfo Info => OrtMemoryInfo.DefaultInstance;

    public override bool IsHost => true;

    public override byte* Allocate(long bytes, bool zeroed = true)
    {
        var p = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 64), 64);
        if (zeroed)
        {
            NativeMemory.Clear(p, (nuint)Math.Max(bytes, 64));
        }
        return p;
    }

    public override void Free(byte* p) => NativeMemory.AlignedFree(p);

    public override void Zero(byte* p, long bytes) => NativeMemory.Clear(p, (nuint)bytes);

    public override void Copy2D(byte* destination, long destinationPitch, byte* source, long sourcePitch, long width, long height)
    {
        for (long h = 0; h < height; h++)
        {
            Buffer.MemoryCopy(source + h * sourcePitch, destination + h * destinationPitch, width, width);
        }
    }

    public override void Upload(byte* destination, ReadOnlySpan<byte> source) => source.CopyTo(new Span<byte>(destination, source.Length));

    public override void Download(Span<byte> destination, byte* source) => new ReadOnlySpan<byte>(source, destination.Length).CopyTo(destination);
}

/// <summary>
/// Device memory of GPU <c>index</c> through the CUDA runtime (libcudart.so.13, which ONNX Runtime's CUDA provider
/// loads anyway). Runs in the primary context ONNX Runtime uses, so tensors bound over it are read in place.
/// Memsets, uploads and strided copies go on the legacy default stream and may still be running when the call
/// returns; ONNX Runtime's compute stream is non-blocking (not ordered after stream 0), so the engine calls
/// <see cref="Synchronize"/> before every run. ONNX Runtime synchronises its own stream at the end of every run, so a
/// copy issued after a run sees its outputs.
/// </summary>
internal sealed unsafe class CudaKvMemory : KvMemory
{
    private const int HostToDevice = 1, DeviceToHost = 2, DeviceToDevice = 3;
    private static readonly Lazy<Api> Runtime = new(Api.Load);
    private readonly int _index;
    private readonly OrtMemoryInfo _info;

    public CudaKvMemory(int index)
    {
        _index = index;
        _ = Runtime.Value;
        _info = new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, index, OrtMemType.Default);
    }

    public override string Device => $"cuda:{_index}";

    public override OrtMemoryInfo Info => _info;

    public override bool IsHost => false;

    public override byte* Allocate(long bytes, bool zeroed = true)
    {
        var api = Current();
        void* p;
        Check(api.Malloc(&p, (nuint)Math.Max(bytes, 256)), $"cudaMalloc of {bytes:N0} bytes for the KV pool (device memory full? lower --max-batch or the models per silo)");
        if (zeroed)
        {
            Check(api.Memset(p, 0, (nuint)Math.Max(bytes, 256)), "cudaMemset");
        }
        return (byte*)p;
    }

    public override void Free(byte* p)
    {
        if (p != null)
        {
            Current().Free(p);
        }
    }

    public override void Zero(byte* p, long bytes) => Check(Current().Memset(p, 0, (nuint)bytes), "cudaMemset");

    public override void Copy2D(byte* destination, long destinationPitch, byte* source, long sourcePitch, long width, long height) =>
        Check(Current().Memcpy2DAsync(destination, (nuint)destinationPitch, source, (nuint)sourcePitch, (nuint)width, (nuint)height, DeviceToDevice, 0), "cudaMemcpy2DAsync");

    public override void Upload(byte* destination, ReadOnlySpan<byte> source)
    {
        fixed (byte* s = source)
        {
            Check(Current().Memcpy(destination, s, (nuint)source.Length, HostToDevice), "cudaMemcpy host to device");
        }
    }

    public override void Download(Span<byte> destination, byte* source)
    {
        Synchronize();
        fixed (byte* d = destination)
        {
            Check(Current().Memcpy(d, source, (nuint)destination.Length, DeviceToHost), "cudaMemcpy device to host");
        }
    }

    public override void Synchronize() => Check(Current().StreamSynchronize(0), "cudaStreamSynchronize");

    public override void Dispose() => _info.Dispose();

    // The CUDA runtime's current device is per thread, and grain turns move between threads.
    private Api Current()
    {
        var api = Runtime.Value;
        Check(api.SetDevice(_index), $"cudaSetDevice({_index})");
        return api;
    }

    private static void Check(int status, string what)
    {
        if (status != 0)
        {
            var text = Marshal.PtrToStringAnsi((nint)Runtime.Value.GetErrorString(status)) ?? "unknown";
            throw new InferenceException($"CUDA runtime: {what} failed with error {status} ({text})");
        }
    }

    private sealed class Api
    {
        public delegate* unmanaged<int, int> SetDevice;
        public delegate* unmanaged<void**, nuint, int> Malloc;
        public delegate* unmanaged<void*, int> Free;
        public delegate* unmanaged<void*, int, nuint, int> Memset;
        public delegate* unmanaged<void*, void*, nuint, int, int> Memcpy;
        public delegate* unmanaged<void*, nuint, void*, nuint, nuint, nuint, int, nint, int> Memcpy2DAsync;
        public delegate* unmanaged<nint, int> StreamSynchronize;
        public delegate* unmanaged<int, byte*> GetErrorString;

        public static Api Load()
        {
            nint lib = 0;
            foreach (var name in new[] { "libcudart.so.13", "libcudart.so", "cudart64_13.dll" })
            {
                if (NativeLibrary.TryLoad(name, out lib))
                {
                    break;
                }
            }
            if (lib == 0)
            {
                throw new InferenceException("the CUDA runtime (libcudart.so.13) could not be loaded for the KV pool; install CUDA 13, or use --device cpu");
            }
            nint F(string symbol) => NativeLibrary.GetExport(lib, symbol);
            return new Api
            {
                SetDevice = (delegate* unmanaged<int, int>)F("cudaSetDevice"),
                Malloc = (delegate* unmanaged<void**, nuint, int>)F("cudaMalloc"),
                Free = (delegate* unmanaged<void*, int>)F("cudaFree"),
                Memset = (delegate* unmanaged<void*, int, nuint, int>)F("cudaMemset"),
                Memcpy = (delegate* unmanaged<void*, void*, nuint, int, int>)F("cudaMemcpy"),
                Memcpy2DAsync = (delegate* unmanaged<void*, nuint, void*, nuint, nuint, nuint, int, nint, int>)F("cudaMemcpy2DAsync"),
                StreamSynchronize = (delegate* unmanaged<nint, int>)F("cudaStreamSynchronize"),
                GetErrorString = (delegate* unmanaged<int, byte*>)F("cudaGetErrorString"),
            };
        }
    }
}
