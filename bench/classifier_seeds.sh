#!/usr/bin/env bash
# Image classification quality across split seeds (issue 13): imports a folder-per-label
# dataset, trains it once per seed with the automatic defaults (`apiary train --seed S`: the
# seed draws the 80/20 split, stratified per label, and the training) plus any extra
# `apiary train` arguments, and prints one line per seed — top-1 accuracy, macro F1, training
# wall time, inference ms per image at batch 1 — then the means.
# Inference: `apiary detect` over the test images, timed against a run on one image, so the
# model's loading cancels out: (t(N) - t(1)) / (N - 1).
# Usage: bench/classifier_seeds.sh [DATASET_DIR] ["1 2 3"] [apiary train args...]
set -euo pipefail
cd "$(dirname "$0")/.."
APIARY=${APIARY:-$PWD/build/apiary}
data=${1:-$(cd .. && pwd)/shared/datasets/trash}
seeds=${2:-"1 2 3"}
shift $(( $# >= 2 ? 2 : $# ))
OUT=${BENCH_DIR:-/tmp/apiary-classifier-seeds}
mkdir -p "$OUT"
lines=()
for seed in $seeds; do
    dir=$OUT/$(basename "$data")-$seed
    rm -rf "$dir"
    "$APIARY" --data-dir "$dir" project create p > /dev/null
    "$APIARY" --data-dir "$dir" dataset import p --source "$data" --format folder > /dev/null
    start=$(date +%s.%N)
    "$APIARY" --data-dir "$dir" train p --version-name v --seed "$seed" "$@" > "$dir.train.out" 2> "$dir.train.log"
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    # --local-paths: the images Apiary holds (a folder import's own references are relative).
    "$APIARY" --data-dir "$dir" dataset export p --dataset test --local-paths --out - |
        /usr/bin/python3 -c 'import json,sys; [print(json.loads(l)["source-ref"]) for l in sys.stdin if l.strip()]' \
        > "$dir.test-images"
    n=$(wc -l < "$dir.test-images")
    t1_start=$(date +%s.%N)
    "$APIARY" --data-dir "$dir" detect --project p "$(head -1 "$dir.test-images")" > /dev/null
    t1=$(echo "$(date +%s.%N) - $t1_start" | bc)
    tn_start=$(date +%s.%N)
    xargs -a "$dir.test-images" "$APIARY" --data-dir "$dir" detect --project p --jsonl > /dev/null
    tn=$(echo "$(date +%s.%N) - $tn_start" | bc)
    line=$(/usr/bin/python3 - "$dir/models/p/v" "$seed" "$seconds" "$t1" "$tn" "$n" <<'PY'
import json, sys
model, seed, seconds, t1, tn, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
ev = json.load(open(f"{model}/evaluation.json"))
cfg = json.load(open(f"{model}/model.json"))["training"]
ms = 1000 * (tn - t1) / max(n - 1, 1)
print(f"seed {seed}  accuracy {ev['overall']['accuracy']:.3f}  macroF1 {ev['overall']['macro_f1']:.3f}  "
      f"ECE {ev['overall']['ece']:.3f}  train {seconds:.0f} s ({cfg['epochs_run']} epochs at {cfg['image_size']} px)  "
      f"infer {ms:.1f} ms/image ({n} test images)")
PY
)
    echo "$line"
    lines+=("$line")
done
printf '%s\n' "${lines[@]}" | /usr/bin/python3 -c '
import re, statistics, sys
rows = [l for l in sys.stdin if l.strip()]
def col(name):
    return [float(re.search(name + r" ([0-9.]+)", r).group(1)) for r in rows]
for name in ("accuracy", "macroF1", "train", "infer"):
    v = col(name)
    print(f"mean {name} {statistics.mean(v):.3f}" + (f" (min {min(v):.3f}, max {max(v):.3f})" if len(v) > 1 else ""))
'
