#!/usr/bin/env bash
# A classification project with Debian's AWS CLI against `apiary serve`, nothing mocked: shape
# pictures and a Ground Truth image-classification manifest in a bucket, create project and
# dataset, train (the server splits 80/20), describe with F1Score and the summary's
# ConfusionMatrix, start, DetectCustomLabels with bytes and with an S3 object (labels without
# Geometry, best first, MaxResults, MinConfidence), a pipeline on the classification model whose
# results equal `apiary detect`, stop.
# Usage: classification_cli_flow_test.sh APIARY_BINARY
set -euo pipefail
APIARY=$1
source "$(dirname "$0")/serve_support.sh"

# Generated pictures and a short training keep it fast; quality is not the point.
"$APIARY" demo-data "$WORK/shapes" --shapes --images 10 --seed 3 > /dev/null
"$APIARY" demo-data "$WORK/more" --shapes --images 2 --seed 4 > /dev/null  # unseen, for the pipeline
start_server --train-option epochs=2 --train-option image_size=96 --train-option threads=2

echo "== pictures and an image-classification manifest in a bucket"
$AWS s3 mb s3://shape-data > /dev/null
$AWS s3 cp --recursive --only-show-errors "$WORK/shapes" s3://shape-data/shapes
/usr/bin/python3 - "$WORK/shapes" > "$WORK/train.manifest" <<'PY'
import json, os, sys
for class_id, label in enumerate(sorted(os.listdir(sys.argv[1]))):
    for name in sorted(os.listdir(os.path.join(sys.argv[1], label))):
        print(json.dumps({"source-ref": "s3://shape-data/shapes/%s/%s" % (label, name), "shape": class_id,
                          "shape-metadata": {"class-name": label, "confidence": 1, "human-annotated": "yes",
                                             "type": "groundtruth/image-classification",
                                             "job-name": "labeling-job/shapes", "creation-date": "2024-01-01T00:00:00"}}))
PY
[ "$(wc -l < "$WORK/train.manifest")" = 30 ] || fail "the manifest has $(wc -l < "$WORK/train.manifest") lines, not 30"
$AWS s3 cp --only-show-errors "$WORK/train.manifest" s3://shape-data/shapes/train.manifest

echo "== project, dataset, training"
project=$($AWS rekognition create-project --project-name shapes --query ProjectArn --output text)
dataset=$($AWS rekognition create-dataset --project-arn "$project" --dataset-type TRAIN \
    --dataset-source '{"GroundTruthManifest":{"S3Object":{"Bucket":"shape-data","Name":"shapes/train.manifest"}}}' \
    --query DatasetArn --output text)
labels=$($AWS rekognition list-dataset-labels --dataset-arn "$dataset" --query 'DatasetLabelDescriptions[].LabelName' --output text)
[ "$(tr '\t' '\n' <<< "$labels" | sort | xargs)" = "circle square triangle" ] || fail "labels listed: $labels"
version=$($AWS rekognition create-project-version --project-arn "$project" --version-name v1 \
    --output-config S3Bucket=shape-data,S3KeyPrefix=eval/ --query ProjectVersionArn --output text)
wait_for_status "$project" TRAINING_COMPLETED TRAINING_FAILED
$AWS rekognition wait project-version-training-completed --project-arn "$project" --version-names v1 \
    || fail "waiter project-version-training-completed failed"
$AWS rekognition describe-project-versions --project-arn "$project" > "$WORK/described.json"
/usr/bin/python3 - "$WORK/described.json" > "$WORK/summary-key" <<'PY' || fail "describe-project-versions: $(cat "$WORK/described.json")"
import json, sys
d = json.load(open(sys.argv[1]))["ProjectVersionDescriptions"][0]
assert d["Status"] == "TRAINING_COMPLETED", d
assert 0 <= d["EvaluationResult"]["F1Score"] <= 1, d["EvaluationResult"]
print(d["EvaluationResult"]["Summary"]["S3Object"]["Name"])
PY
$AWS s3 cp --only-show-errors "s3://shape-data/$(cat "$WORK/summary-key")" "$WORK/summary.json" || fail "no evaluation summary in the output bucket"
/usr/bin/python3 - "$WORK/summary.json" "$version" <<'PY' || fail "the evaluation summary: $(cat "$WORK/summary.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["EvaluationDetails"]["ProjectVersionArn"] == sys.argv[2], s["EvaluationDetails"]
labels = {"circle", "square", "triangle"}
assert {r["Label"] for r in s["LabelEvaluationResults"]} == labels, s["LabelEvaluationResults"]
matrix = s["AggregatedEvaluationResults"]["ConfusionMatrix"]
assert len(matrix) == 9, matrix
for truth in labels:  # each value is the share of that truth label's test images
    row = [c["Value"] for c in matrix if c["GroundTruthLabel"] == truth]
    assert len(row) == 3 and abs(sum(row) - 1) < 1e-6, (truth, row)
PY

echo "== start, detect with bytes and with an S3 object"
$AWS rekognition start-project-version --project-version-arn "$version" --min-inference-units 1 > /dev/null
wait_for_status "$project" RUNNING FAILED
[ "$(version_status "$project")" = RUNNING ] || fail "the model did not start"
image=shapes/square/square-0001.jpg
$AWS rekognition detect-custom-labels --project-version-arn "$version" --min-confidence 0 \
    --image-bytes "fileb://$WORK/$image" > "$WORK/bytes.json"
$AWS rekognition detect-custom-labels --project-version-arn "$version" --min-confidence 0 \
    --image "{\"S3Object\":{\"Bucket\":\"shape-data\",\"Name\":\"$image\"}}" > "$WORK/s3.json"
$AWS rekognition detect-custom-labels --project-version-arn "$version" --min-confidence 0 --max-results 1 \
    --image-bytes "fileb://$WORK/$image" > "$WORK/one.json"
/usr/bin/python3 - "$WORK/bytes.json" "$WORK/s3.json" "$WORK/one.json" > "$WORK/middle" <<'PY' || fail "detect answered $(cat "$WORK/bytes.json")"
import json, sys
by_bytes, by_s3, one = (json.load(open(p))["CustomLabels"] for p in sys.argv[1:])
assert by_bytes == by_s3, (by_bytes, by_s3)
assert sorted(l["Name"] for l in by_bytes) == ["circle", "square", "triangle"], by_bytes
assert all("Geometry" not in l and 0 <= l["Confidence"] <= 100 for l in by_bytes), by_bytes
confidences = [l["Confidence"] for l in by_bytes]
assert confidences == sorted(confidences, reverse=True), by_bytes
assert one == by_bytes[:1], one
print((confidences[0] + confidences[1]) / 2)  # a MinConfidence that keeps only the best
PY
$AWS rekognition detect-custom-labels --project-version-arn "$version" --min-confidence "$(cat "$WORK/middle")" \
    --image-bytes "fileb://$WORK/$image" > "$WORK/best.json"
/usr/bin/python3 - "$WORK/bytes.json" "$WORK/best.json" <<'PY' || fail "MinConfidence: $(cat "$WORK/best.json")"
import json, sys
every, best = (json.load(open(p))["CustomLabels"] for p in sys.argv[1:])
assert best == every[:1], (best, every)
PY

echo "== a pipeline on the classification model: every upload answered as apiary detect answers it"
mkdir -p "$WORK/incoming"
cp "$WORK"/more/*/*.jpg "$WORK/incoming/"
$APIARY --data-dir "$DATA" pipeline create detect --bucket shape-data --prefix incoming/ --model shapes/v1 \
    --min-confidence 0 --workers 2 > /dev/null
$AWS s3 cp --recursive --only-show-errors "$WORK/incoming" s3://shape-data/incoming/
wait_done 6
[ "$(status_field Done)" = 6 ] || fail "$(status_field DeadLettered) of 6 pictures were dead-lettered"
$AWS s3 sync --only-show-errors s3://shape-data/incoming/ "$WORK/results/"
"$APIARY" --data-dir "$DATA" detect --project shapes --version v1 --min-confidence 0 --jsonl "$WORK/incoming" > "$WORK/expected.jsonl"
/usr/bin/python3 - "$WORK/expected.jsonl" "$WORK/results" <<'PY' || fail "pipeline results differ from apiary detect"
import json, os, sys
expected = [json.loads(line) for line in open(sys.argv[1])]
assert len(expected) == 6, expected
for e in expected:
    name = os.path.basename(e["Image"])
    got = json.load(open(os.path.join(sys.argv[2], name + ".json")))
    assert got == {"CustomLabels": e["CustomLabels"]}, (name, got, e)
    assert len(got["CustomLabels"]) == 3 and all("Geometry" not in l for l in got["CustomLabels"]), got
PY

echo "== stop"
$APIARY --data-dir "$DATA" pipeline delete detect > /dev/null
$AWS rekognition stop-project-version --project-version-arn "$version" > /dev/null
wait_for_status "$project" STOPPED
set +e
out=$($AWS rekognition detect-custom-labels --project-version-arn "$version" --image-bytes "fileb://$WORK/$image" 2>&1)
set -e
grep -q ResourceNotReadyException <<< "$out" || fail "detect on a stopped model: $out"
echo "PASS: classification aws cli flow"
