#!/usr/bin/env bash
# Quality across split seeds (issue 10): trains one dataset once per seed with the automatic
# defaults (plus any extra `apiary train` arguments) and prints one line per seed — test AP50,
# F1/precision/recall at the assumed threshold, ECE, the median confidence of the true
# positives kept at the assumed threshold, training seconds — then the mean and spread.
#   kangaroo: the test split is drawn per seed (dataset split --test-percent 20 --seed S)
#   bccd:     its own ImageSets split; the seed is the training seed (validation split, init)
#   subset:   kangaroo, every other image (82), split per seed
# Usage: bench/detector_seeds.sh kangaroo|bccd|subset "1 2 3" [apiary train args...]
# APIARY=/path/to/an/older/apiary compares another build on the same splits.
set -euo pipefail
cd "$(dirname "$0")/.."
APIARY=${APIARY:-$PWD/build/apiary}
SHARED=$(cd .. && pwd)/shared/datasets
OUT=${BENCH_DIR:-/tmp/apiary-seeds}
what=$1 seeds=$2
shift 2
mkdir -p "$OUT"
results=()
for seed in $seeds; do
    dir=$OUT/$what-$seed
    rm -rf "$dir"
    "$APIARY" --data-dir "$dir" project create p > /dev/null
    train_seed=()
    case $what in
        kangaroo | subset)
            manifest=$SHARED/kangaroo/output.manifest
            if [[ $what == subset ]]; then
                manifest=$dir.manifest
                awk 'NR % 2 == 1' "$SHARED/kangaroo/output.manifest" > "$manifest"
            fi
            "$APIARY" --data-dir "$dir" dataset import p --manifest "$manifest" \
                --map "s3://apiary-samples/kangaroo/images=$SHARED/kangaroo/images" > /dev/null
            "$APIARY" --data-dir "$dir" dataset split p --test-percent 20 --seed "$seed" > /dev/null
            ;;
        bccd)
            "$APIARY" --data-dir "$dir" dataset import p --source "$SHARED/bccd" --format voc > /dev/null
            train_seed=(--seed "$seed")
            ;;
        *) echo "unknown dataset $what" >&2; exit 2 ;;
    esac
    start=$(date +%s)
    "$APIARY" --data-dir "$dir" train p --version-name v "${train_seed[@]}" "$@" > "$dir.train.out" 2> "$dir.train.log"
    seconds=$(( $(date +%s) - start ))
    line=$(/usr/bin/python3 - "$dir/models/p/v" "$seconds" "$seed" <<'PY'
import json, statistics, sys
model, seconds, seed = sys.argv[1], float(sys.argv[2]), sys.argv[3]
ev = json.load(open(f"{model}/evaluation.json"))
manifest = json.load(open(f"{model}/model.json"))
th = manifest["thresholds"]
try:  # models from before issue 10 have no stored predictions and no ECE: comparisons only
    pred = json.load(open(f"{model}/predictions.json"))
    tp = [d[2] for img in pred["images"] for d in img["detections"] if d[3] >= 0 and d[2] >= th[d[0]]]
except FileNotFoundError:
    tp = []
o = ev["overall"]
o.setdefault("ece", float("nan"))
labels = " ".join(f"{l['label']}:{l['ap50']:.3f}" for l in ev["labels"])
print(f"seed {seed}  AP50 {o['ap50']:.3f}  F1 {o['f1']:.3f}  P {o['precision']:.3f}  R {o['recall']:.3f}  "
      f"ECE {o['ece']:.3f}  medianTP {100 * statistics.median(tp) if tp else 0:.1f}  "
      f"{seconds:.0f} s  size {manifest['training']['image_size']} epochs {manifest['training']['epochs_run']}  {labels}")
PY
)
    echo "$line"
    results+=("$line")
done
printf '%s\n' "${results[@]}" | /usr/bin/python3 -c '
import re, statistics, sys
rows = [dict(re.findall(r"(AP50|F1|ECE|medianTP) ([0-9.]+)", l)) for l in sys.stdin if l.strip()]
if len(rows) > 1:
    print("mean ± sd over", len(rows), "seeds: " + "  ".join(
        f"{k} {statistics.mean(float(r[k]) for r in rows):.3f} ± {statistics.stdev(float(r[k]) for r in rows):.3f}"
        for k in ("AP50", "F1", "ECE", "medianTP") if all(k in r for r in rows)))'
