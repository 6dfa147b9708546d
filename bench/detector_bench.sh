#!/usr/bin/env bash
# Detector benchmarks on the shared datasets with the automatic defaults (issue 3):
#   kangaroo: Ground Truth manifest, split 80/20 seed 1 -> AP50, F1, training wall time, peak RSS
#   bccd:     Pascal VOC with its own ImageSets test split -> mAP50 per label
#   inference: ms per image at batch 1 on 2 threads, decode included
# Usage: bench/detector_bench.sh [kangaroo|bccd|infer|all]   (needs ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
APIARY=$PWD/build/apiary
SHARED=$(cd .. && pwd)/shared/datasets
OUT=${BENCH_DIR:-/tmp/apiary-bench}
what=${1:-all}
mkdir -p "$OUT"

train_timed() {  # train_timed NAME ARGS... : wall time and peak RSS of `apiary train`
    local name=$1; shift
    /usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$OUT/$name.time" \
        "$APIARY" --data-dir "$OUT/$name" train "$name" --version-name bench "$@" 2> "$OUT/$name.train.log" |
        tee "$OUT/$name.result"
    echo "training: $(cat "$OUT/$name.time")"
}

if [[ $what == kangaroo || $what == all ]]; then
    rm -rf "$OUT/kangaroo"
    "$APIARY" --data-dir "$OUT/kangaroo" project create kangaroo > /dev/null
    "$APIARY" --data-dir "$OUT/kangaroo" dataset import kangaroo --manifest "$SHARED/kangaroo/output.manifest" \
        --map "s3://apiary-samples/kangaroo/images=$SHARED/kangaroo/images" | sed -n 1,4p
    "$APIARY" --data-dir "$OUT/kangaroo" dataset split kangaroo --test-percent 20 --seed 1
    train_timed kangaroo
fi

if [[ $what == bccd || $what == all ]]; then
    rm -rf "$OUT/bccd"
    "$APIARY" --data-dir "$OUT/bccd" project create bccd > /dev/null
    "$APIARY" --data-dir "$OUT/bccd" dataset import bccd --source "$SHARED/bccd" --format voc | sed -n 1,4p
    train_timed bccd
fi

if [[ $what == infer || $what == all ]]; then
    model=$(ls -d "$OUT"/kangaroo/models/kangaroo/bench)
    build/bench/infer_bench --model "$model" --images "$SHARED/kangaroo/images" --threads 2 --repeat 1
fi
