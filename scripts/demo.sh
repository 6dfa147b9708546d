#!/usr/bin/env bash
# The main job end to end, on a dataset generated here (no downloads, no ../shared):
# set up, generate labelled bee/flower images, create a project, import, split, train,
# evaluate, detect and draw.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
APIARY=./build/apiary
WORK="${APIARY_DEMO_DIR:-$(mktemp -d /tmp/apiary-demo.XXXXXX)}"
export APIARY_DATA_DIR="$WORK/apiary-data"
echo "== demo workspace: $WORK"

echo "== generate a labelled dataset (Ground Truth manifest, like the reference bee data)"
$APIARY demo-data "$WORK/bees" --images 120 --seed 1

echo "== create a project and import the dataset"
$APIARY project create bee-detection
$APIARY dataset import bee-detection --manifest "$WORK/bees/output.manifest" \
    --map "s3://apiary-demo/bees/images=$WORK/bees/images"

echo "== split 80/20, stratified by label"
$APIARY dataset split bee-detection --test-percent 20 --seed 1
$APIARY dataset describe bee-detection

echo "== train (pretrained MobileNetV3 + CenterNet, fine-tuned; a short budget for the demo)"
$APIARY train bee-detection --version-name demo --image-size 320 --time-budget 150

echo "== evaluation (per label: F1, precision, recall, assumed threshold, AP)"
$APIARY describe bee-detection --version demo

echo "== detect (DetectCustomLabels output) and draw"
$APIARY demo-data "$WORK/new" --images 1 --seed 99 > /dev/null
$APIARY detect --project bee-detection "$WORK/new/images/00001.jpg"
$APIARY draw --project bee-detection "$WORK/new/images/00001.jpg" --out "$WORK/annotated.png"
echo "== done; annotated picture: $WORK/annotated.png; data directory: $APIARY_DATA_DIR"
