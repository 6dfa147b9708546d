#!/usr/bin/env bash
# Dense scenes (issue 10, item 3): generated 640x640 frames of honeycomb with 200-260 bees of
# 20-30 px each, far over the reference service's 50 boxes. Imports TRAIN + TEST images (test
# from another seed), trains with the automatic defaults and prints, from evaluation.json, the
# recall at the assumed threshold and AP50 on the test split, then how many labels
# `apiary detect` returns per test image with no --max-results (every one above the threshold).
# SCENES=small: 1600x1200 frames of 15-40 bees of 24-36 px instead (under 3% of the image side:
# the small-object case, where the automatic defaults train and detect on tiles; compare with
# --tile-fraction 0, whole images only).
# SCENES=lookalike: 640-958 px scenes of 1-4 objects of six look-alike labels (bee, wasp,
# hoverfly; flower, daisy, buttercup): the many-label case, e.g. TRAIN=296 TEST=67.
# Usage: bench/dense_bench.sh [TRAIN_ARGS...]   env: SCENES=dense|small|lookalike TRAIN=40 TEST=10 APIARY=build/apiary BENCH_DIR
# Any TRAIN_ARGS (e.g. --image-size, --epochs) are passed to `apiary train`: say so when quoting.
set -euo pipefail
cd "$(dirname "$0")/.."
APIARY=${APIARY:-$PWD/build/apiary}
OUT=${BENCH_DIR:-/tmp/apiary-dense-bench}
TRAIN=${TRAIN:-40}
TEST=${TEST:-10}
SCENES=${SCENES:-dense}
[[ $SCENES == dense || $SCENES == small || $SCENES == lookalike ]] || { echo "SCENES is dense, small or lookalike" >&2; exit 2; }
D=$OUT/data
rm -rf "$OUT"
mkdir -p "$OUT"

import() {  # import DATASET IMAGES SEED
    local json
    json=$("$APIARY" --json demo-data "$OUT/$1" "--$SCENES" --images "$2" --seed "$3")
    local manifest map
    manifest=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Manifest"])' <<< "$json")
    map=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["Map"])' <<< "$json")
    "$APIARY" --data-dir "$D" dataset import dense --dataset "$1" --manifest "$manifest" --map "$map" | sed -n 1,6p
}

"$APIARY" --data-dir "$D" project create dense > /dev/null
import train "$TRAIN" 1
import test "$TEST" 2

start=$(date +%s.%N)
/usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$OUT/train.time" \
    "$APIARY" --data-dir "$D" train dense --version-name bench "$@" 2> "$OUT/train.log" | tee "$OUT/train.result"
echo "training: $(cat "$OUT/train.time")"

model=$D/models/dense/bench
/usr/bin/python3 - "$model" <<'EOF'
import json, sys
model = sys.argv[1]
m = json.load(open(model + "/model.json"))
e = json.load(open(model + "/evaluation.json"))
cfg = m.get("training", {})
print("model: input %s px, tiles of %s of the image side, epochs %s, max_detections %s" %
      (m.get("input_size"), cfg.get("tile_fraction", 0), cfg.get("epochs"), m.get("max_detections")))
for l in e["labels"]:
    a = l["assumed"]
    print("%s: %d truth boxes in %d test images; assumed threshold %.3f: recall %.3f, precision %.3f, F1 %.3f "
          "(TP %d, FP %d, FN %d); AP50 %.3f, mAP50:95 %.3f" %
          (l["label"], l["truth_boxes"], l["test_images"], a["threshold"], a["recall"], a["precision"], a["f1"],
           a["true_positives"], a["false_positives"], a["false_negatives"], l["ap50"], l["map50_95"]))
o = e["overall"]
print("overall: mAP50 %.3f, mAP50:95 %.3f, F1 %.3f (P %.3f, R %.3f), ECE %.3f" %
      (o["ap50"], o["map50_95"], o["f1"], o["precision"], o["recall"], o.get("ece", float("nan"))))
EOF

# DetectCustomLabels' shape with no --max-results: every label above the assumed threshold.
"$APIARY" --data-dir "$D" detect --project dense --jsonl "$OUT/test/images" > "$OUT/detect.jsonl"
/usr/bin/python3 - "$OUT/detect.jsonl" "$OUT/test/output.manifest" <<'EOF'
import json, sys
found = [len(json.loads(l)["CustomLabels"]) for l in open(sys.argv[1])]
truth = [len(json.loads(l)["bee-detection"]["annotations"]) for l in open(sys.argv[2])]
print("detect (no --max-results): labels per test image min/mean/max %d / %.1f / %d; truth boxes %d / %.1f / %d" %
      (min(found), sum(found) / len(found), max(found), min(truth), sum(truth) / len(truth), max(truth)))
EOF
