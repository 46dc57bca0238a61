#!/usr/bin/env bash
# GPU benchmark of the engine's graph format on an NVIDIA GPU, for a machine with no network.
#
#   bench/gpu/run.sh [--cpu-smoke] [--device cuda:N] [--models DIR] [--layers-0.6b N] [--layers-8b N]
#                    [--budget-s S] [--no-build]
#
# Builds bench/Bench (Release), writes random-weight float16 models with the shapes of Qwen3-0.6B (28 layers) and
# Qwen3-8B (default 8 of its 36 layers, so that writing fits the time budget; --layers-8b 36 writes the whole
# ~15 GB model) with the C# test-model writer (tests/TestModels, weights in model.onnx.data as ONNX external data),
# then prints, per model: decode tokens/s at batch 1/16/64/256 (context 512), step time at context 512/4,096/16,384
# (batch 1 and 16), prefill tokens/s (2,048-token prompts, batch 1 and 4), and the memory bandwidth a step used
# (bytes of weights + past KV read per step / step time) against the device's peak (from the GPU's name as
# nvidia-smi prints it: H200 4.8 TB/s, H100 SXM 3.35 TB/s, ...; EVALCLUSTER_GPU_PEAK_GBS overrides).
# Models are kept in --models (default /tmp/evalcluster-gpu-models) and reused by a later run of the same shapes.
# Sized to finish in under 8 minutes on one H200 (a first run writes ~5.5 GB of models; a rerun reuses them); a
# measurement that would start after --budget-s seconds (default 420) is skipped and its row says so, and one
# that fails (out of device memory) says why in its row.
#
# --cpu-smoke runs the same code path on the CPU with tiny shapes and contexts (under 2 minutes on 2 cores).
#
# NO NETWORK on the GPU machine: restore the NuGet packages beforehand, where there is network:
#   dotnet restore bench/Bench      # fills ~/.nuget/packages (incl. Microsoft.ML.OnnxRuntime.Gpu.Linux)
# and carry ~/.nuget/packages (or NUGET_PACKAGES) and the repository with its obj/ folders; the build below then
# restores from that folder only. Or build here and carry artifacts/ and pass --no-build.
# CUDA: ONNX Runtime 1.31's CUDA provider needs the CUDA 13 runtime, cuBLAS and cuDNN 9 libraries on
# LD_LIBRARY_PATH; without them the script stops with ONNX Runtime's message.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
profile=full
device=cuda:0
models="${TMPDIR:-/tmp}/evalcluster-gpu-models"
layers06=""
layers8=""
budget=""
build=1
usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cpu-smoke) profile=smoke; device=cpu; shift ;;
    --device) device="${2:?--device needs a value (cuda:N or cpu)}"; shift 2 ;;
    --models) models="${2:?--models needs a folder}"; shift 2 ;;
    --layers-0.6b) layers06="${2:?--layers-0.6b needs a number}"; shift 2 ;;
    --layers-8b) layers8="${2:?--layers-8b needs a number}"; shift 2 ;;
    --budget-s) budget="${2:?--budget-s needs seconds}"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option '$1'; see bench/gpu/run.sh --help" >&2; exit 2 ;;
  esac
done
for n in "$layers06" "$layers8"; do
  if [[ -n "$n" && ! "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: layer count '$n' is not a positive integer" >&2; exit 2
  fi
done
if [[ -n "$budget" && ! "$budget" =~ ^[0-9]+$ ]]; then
  echo "error: --budget-s '$budget' is not a whole number of seconds" >&2; exit 2
fi
if [[ -z "$layers8" && "$profile" == full ]]; then layers8=8; fi

name="CPU"; memory_gb=""
if [[ "$device" == cuda:* ]]; then
  index="${device#cuda:}"
  if ! command -v nvidia-smi >/dev/null; then
    echo "error: --device $device but nvidia-smi is not on PATH (no NVIDIA driver?); use --cpu-smoke to test on the CPU" >&2; exit 2
  fi
  name="$(nvidia-smi --query-gpu=name --format=csv,noheader -i "$index" | head -1)"
  memory_mib="$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits -i "$index" | head -1)"
  memory_gb="$(awk -v m="$memory_mib" 'BEGIN { printf "%.1f", m * 1.048576 / 1000 }')"
  nvidia-smi --query-gpu=name,memory.total,clocks.max.memory,driver_version --format=csv -i "$index"
fi

artifacts="${ArtifactsPath:-$root/artifacts}"
if [[ $build == 1 ]]; then
  echo "building bench/Bench (Release; restores only from the local NuGet folder when offline)..."
  if ! dotnet build "$root/bench/Bench" -c Release -nologo -v quiet >/tmp/evalcluster-gpu-build.log 2>&1; then
    tail -20 /tmp/evalcluster-gpu-build.log >&2
    echo "error: build failed (log /tmp/evalcluster-gpu-build.log); with no network, restore the packages beforehand (see the top of bench/gpu/run.sh)" >&2
    exit 1
  fi
fi
dll="$artifacts/bin/Bench/release/EvalCluster.Bench.dll"
[[ -f "$dll" ]] || { echo "error: $dll not found; build first (drop --no-build)" >&2; exit 1; }

mkdir -p "$models"
export EVALCLUSTER_GPU_PROFILE="$profile" EVALCLUSTER_GPU_DEVICE="$device" EVALCLUSTER_GPU_MODELS="$models"
export EVALCLUSTER_GPU_NAME="$name" EVALCLUSTER_GPU_MEMORY_GB="${memory_gb:-0}"
[[ -n "$layers06" ]] && export EVALCLUSTER_GPU_LAYERS_0_6B="$layers06"
[[ -n "$layers8" ]] && export EVALCLUSTER_GPU_LAYERS_8B="$layers8"
[[ -n "$budget" ]] && export EVALCLUSTER_GPU_BUDGET_S="$budget"
start=$SECONDS
dotnet "$dll" gpu
echo "bench/gpu/run.sh: $((SECONDS - start)) s after the build ($(date -u +%FT%TZ), $name)"
