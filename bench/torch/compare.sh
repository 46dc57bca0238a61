#!/usr/bin/env bash
# EvalCluster's `run` (embedded silo, default four arms) against the plain PyTorch loop (toy_loop.py) on the same
# problems, side by side, short prompts and 1,000-token prompts (the task's prompt after a fixed preamble).
# Usage: bench/torch/compare.sh [--coordinator PATH/EvalCluster.Coordinator.dll] [--variants short,long] [--limit N] [--max-in-flight N] [--no-torch]
# (--no-torch times only the EvalCluster run, e.g. of an older build for a before/after row.)
# Needs: a Release build of src/Coordinator, /usr/bin/python3 with python3-torch, python3-onnx, python3-numpy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dll="$repo/artifacts/bin/Coordinator/release/EvalCluster.Coordinator.dll"
variants=short,long
limit=270
torch_too=1
inflight=0  # 0: the lane's batch size (run's default)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --coordinator) dll=$2; shift 2 ;;
    --variants) variants=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --no-torch) torch_too=0; shift ;;
    --max-in-flight) inflight=$2; shift 2 ;;
    *) echo "unknown option $1 (use --coordinator DLL, --variants short,long, --limit N)" >&2; exit 2 ;;
  esac
done
[[ -f "$dll" ]] || { echo "$dll not found: dotnet build src/Coordinator -c Release first" >&2; exit 2; }
work=$(mktemp -d /tmp/evalcluster-compare.XXXXXX)
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT
# The toy pair with a 2,048-token context (trained to 512; the long variant measures speed and token identity only).
for m in base guide; do
  mkdir -p "$work/models/$m"
  cp "$repo/models/toy/$m"/* "$work/models/$m/"
  sed -i 's/"max_position_embeddings": 512/"max_position_embeddings": 2048/' "$work/models/$m/config.json"
  sed -i 's/"model_max_length": 512/"model_max_length": 2048/' "$work/models/$m/tokenizer_config.json"
done
mkdir -p "$work/data" "$work/tasks"
head -n "$limit" "$repo/data/toy-plan.jsonl" > "$work/data/toy-plan.jsonl"
preamble=$(printf 'Read the problem, choose a plan, then compute. %.0s' $(seq 1 21))  # 1,008 characters
sed "s/^name: toy-plan/name: toy-plan-short/" "$repo/tasks/toy-plan.yaml" > "$work/tasks/toy-plan-short.yaml"
sed -e "s/^name: toy-plan/name: toy-plan-long/" -e "s/\"{problem}\\\\n\"/\"${preamble}{problem}\\\\n\"/" "$repo/tasks/toy-plan.yaml" > "$work/tasks/toy-plan-long.yaml"
echo "| prompts | EvalCluster run s | torch loop s | torch / EvalCluster | identical responses |"
echo "|---|---:|---:|---:|---|"
for v in ${variants//,/ }; do
  start=$(date +%s.%N)
  dotnet "$dll" run --task "toy-plan-$v" --tasks-dir "$work/tasks" --data-dir "$work/data" --base "$work/models/base" \
    --guide "$work/models/guide" --calibration "$repo/models/toy/calibration.json" --out "$work/runs" --run-id "$v" --max-in-flight "$inflight" > "$work/$v.log" 2>&1 \
    || { echo "EvalCluster run failed ($work/$v.log):"; grep -m3 -iE "error|exception" "$work/$v.log"; exit 1; }
  ours=$(echo "$(date +%s.%N) - $start" | bc)
  if [[ $torch_too == 0 ]]; then
    printf '| %s | %.1f | - | - | - |\n' "$v" "$ours"
    continue
  fi
  pre=""; [[ $v == long ]] && pre=$preamble
  /usr/bin/python3 "$repo/bench/torch/toy_loop.py" --base "$work/models/base" --guide "$work/models/guide" \
    --problems "$work/data/toy-plan.jsonl" --calibration "$repo/models/toy/calibration.json" --preamble "$pre" \
    --compare "$work/runs/$v/samples.jsonl" > "$work/$v.torch" 2>&1 || { cat "$work/$v.torch"; exit 1; }
  torch=$(grep -o '"seconds": [0-9.]*' "$work/$v.torch" | cut -d' ' -f2)
  same=$(grep -o 'identical responses: .*' "$work/$v.torch" | cut -d: -f2)
  printf '| %s | %.1f | %.1f | %.2f | %s |\n' "$v" "$ours" "$torch" "$(echo "$torch / $ours" | bc -l)" "$same"
  grep -E "differs|torch loop" "$work/$v.torch" | sed 's/^/    /' >&2
done
