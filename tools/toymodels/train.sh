#!/usr/bin/env bash
# Reproduces models/toy/{base,guide}: generates the planning-arithmetic data with the C# tool, trains the
# base and the guide at the same time (one single-threaded process each, 750 steps of batch 64; about
# 12 minutes wall on 2 otherwise idle cores, longer when other processes compete for them),
# exports ONNX + config + tokenizer files and copies them into models/toy/.
#
# Prerequisites (installs nothing itself):  apt-get install -y python3-torch python3-onnx
# Usage (from the repository root):         bash tools/toymodels/train.sh
# Environment: STEPS (training steps per model, default 750), PYTHON (default /usr/bin/python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/tools/toymodels/work"
python="${PYTHON:-/usr/bin/python3}"
steps="${STEPS:-750}"
export ArtifactsPath="${ArtifactsPath:-/tmp/art-toymodels}"
mkdir -p "$work"

dotnet run --project "$root/tools/ToyPlan/ToyPlan.csproj" -c Release -- gen --out "$work/data"
cp "$work/data/test.jsonl" "$root/data/toy-plan.jsonl"
cp "$work/data/calibration.jsonl" "$root/data/toy-plan-calibration.jsonl"

cd "$root/tools/toymodels"
for role in base guide; do
  OMP_NUM_THREADS=1 "$python" train.py --role "$role" --data "$work/data" --out "$work/$role" \
    --steps "$steps" > "$work/$role.log" 2>&1 &
  eval "pid_$role=\$!"
done
status=0
wait "$pid_base" || status=1
wait "$pid_guide" || status=1
grep -h "accuracy\|training time" "$work/base.log" "$work/guide.log" || true
if [ "$status" -ne 0 ]; then
  echo "training failed; see $work/base.log and $work/guide.log" >&2
  exit 1
fi

for role in base guide; do
  mkdir -p "$root/models/toy/$role"
  cp "$work/$role"/{config.json,model.onnx,tokenizer.json,tokenizer_config.json} "$root/models/toy/$role/"
  cp "$work/$role/golden.json" "$root/tests/Inference.Tests/Toy/golden-$role.json"
done
echo "models written to $root/models/toy"
