#!/usr/bin/env bash
# The reference walk-through with Debian's AWS CLI against `apiary serve`, nothing mocked:
# buckets and uploads, project, dataset from a Ground Truth manifest in a bucket, training,
# waiters, evaluation summary in the output bucket, start, DetectCustomLabels with bytes and
# with an S3 object, stop, delete — plus the negative cases the issue lists.
# Usage: aws_cli_flow_test.sh APIARY_BINARY
set -euo pipefail
APIARY=$1
source "$(dirname "$0")/serve_support.sh"

# A small generated dataset and a short training keep the test fast; quality is not the point.
"$APIARY" demo-data "$WORK/bees" --images 24 --seed 3 > /dev/null
start_server --train-option epochs=2 --train-option image_size=128
grep -q aws_secret_access_key "$WORK/server.out" || fail "no access key printed on first start"

echo "== S3: bucket, recursive upload, listing, ranged read"
$AWS s3 mb s3://apiary-demo > /dev/null
$AWS s3 cp --recursive --only-show-errors "$WORK/bees/images" s3://apiary-demo/bees/images
$AWS s3 cp --only-show-errors "$WORK/bees/output.manifest" s3://apiary-demo/bees/output.manifest
n=$($AWS s3 ls --recursive s3://apiary-demo/bees/images/ | wc -l)
[ "$n" = 24 ] || fail "expected 24 uploaded images, listed $n"
# Listings are captured before grep reads them: `aws ... | grep -q` fails with EPIPE under
# pipefail when grep exits before aws has written its last line.
listing=$($AWS s3 ls s3://apiary-demo/bees/)
grep -q "PRE images/" <<< "$listing" || fail "delimiter listing lacks the images/ prefix"
$AWS s3 cp --only-show-errors s3://apiary-demo/bees/output.manifest "$WORK/manifest.back"
cmp -s "$WORK/bees/output.manifest" "$WORK/manifest.back" || fail "downloaded manifest differs"
etag=$($AWS s3api head-object --bucket apiary-demo --key bees/output.manifest --query ETag --output text)
[ "$etag" = "\"$(md5sum < "$WORK/bees/output.manifest" | cut -d' ' -f1)\"" ] || fail "ETag $etag is not the MD5"

echo "== Rekognition: project, dataset from the manifest"
project=$($AWS rekognition create-project --project-name bees --query ProjectArn --output text)
dataset=$($AWS rekognition create-dataset --project-arn "$project" --dataset-type TRAIN \
    --dataset-source '{"GroundTruthManifest":{"S3Object":{"Bucket":"apiary-demo","Name":"bees/output.manifest"}}}' \
    --query DatasetArn --output text)
total=$($AWS rekognition describe-dataset --dataset-arn "$dataset" --query DatasetDescription.DatasetStats.TotalEntries)
[ "$total" = 24 ] || fail "dataset has $total entries, expected 24"
labels=$($AWS rekognition list-dataset-labels --dataset-arn "$dataset" --query 'DatasetLabelDescriptions[].LabelName' --output text)
grep -q bee <<< "$labels" || fail "no 'bee' label listed"

echo "== training in the background, then the waiter"
version=$($AWS rekognition create-project-version --project-arn "$project" --version-name v1 \
    --output-config S3Bucket=apiary-demo,S3KeyPrefix=evaluation/ --query ProjectVersionArn --output text)
s=$(version_status "$project")  # a tiny training may already be over
[ "$s" = TRAINING_IN_PROGRESS ] || [ "$s" = TRAINING_COMPLETED ] || fail "a new version is $s"
wait_for_status "$project" TRAINING_COMPLETED TRAINING_FAILED
$AWS rekognition wait project-version-training-completed --project-arn "$project" --version-names v1 \
    || fail "waiter project-version-training-completed failed"
f1=$($AWS rekognition describe-project-versions --project-arn "$project" --query 'ProjectVersionDescriptions[0].EvaluationResult.F1Score')
[ "$f1" != null ] || fail "no F1Score in EvaluationResult"
summary=$($AWS rekognition describe-project-versions --project-arn "$project" \
    --query 'ProjectVersionDescriptions[0].EvaluationResult.Summary.S3Object.Name' --output text)
$AWS s3 cp --only-show-errors "s3://apiary-demo/$summary" "$WORK/summary.json" || fail "evaluation summary not in the output bucket"
grep -q LabelEvaluationResults "$WORK/summary.json" || fail "summary lacks LabelEvaluationResults"

echo "== detect on a stopped model is refused"
set +e
out=$($AWS rekognition detect-custom-labels --project-version-arn "$version" --image-bytes "fileb://$WORK/bees/images/00001.jpg" 2>&1)
set -e
grep -q ResourceNotReadyException <<< "$out" || fail "detect on a stopped model: $out"

echo "== start, wait running, detect with bytes and with an S3 object"
$AWS rekognition start-project-version --project-version-arn "$version" --min-inference-units 1 > /dev/null
wait_for_status "$project" RUNNING FAILED
$AWS rekognition wait project-version-running --project-arn "$project" --version-names v1 || fail "waiter project-version-running failed"
$AWS rekognition detect-custom-labels --project-version-arn "$version" --min-confidence 0 \
    --image-bytes "fileb://$WORK/bees/images/00001.jpg" > "$WORK/bytes.json"
$AWS rekognition detect-custom-labels --project-version-arn "$version" --min-confidence 0 \
    --image '{"S3Object":{"Bucket":"apiary-demo","Name":"bees/images/00001.jpg"}}' > "$WORK/s3.json"
/usr/bin/python3 - "$WORK/bytes.json" "$WORK/s3.json" <<'PY' || fail "detect responses differ or lack CustomLabels"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a == b, (a, b)
labels = a["CustomLabels"]
assert labels, "min-confidence 0 must return every detection"
for l in labels:
    assert 0 <= l["Confidence"] <= 100 and l["Name"] in ("bee", "flower"), l
    box = l["Geometry"]["BoundingBox"]
    assert all(0 <= box[k] <= 1 for k in ("Width", "Height", "Left", "Top")), box
PY

echo "== bad input to detect"
expect_error() {  # expect_error CODE COMMAND...
    local code=$1; shift
    set +e; local out; out=$("$@" 2>&1); set -e
    grep -q "$code" <<< "$out" || fail "expected $code from: $* — got: $out"
}
head -c 5000000 /dev/urandom > "$WORK/big.jpg"
expect_error ImageTooLargeException $AWS rekognition detect-custom-labels --project-version-arn "$version" --image-bytes "fileb://$WORK/big.jpg"
echo "not an image" > "$WORK/text.jpg"
expect_error InvalidImageFormatException $AWS rekognition detect-custom-labels --project-version-arn "$version" --image-bytes "fileb://$WORK/text.jpg"
expect_error InvalidS3ObjectException $AWS rekognition detect-custom-labels --project-version-arn "$version" \
    --image '{"S3Object":{"Bucket":"apiary-demo","Name":"no/such.jpg"}}'
expect_error ResourceNotFoundException $AWS rekognition describe-project-versions \
    --project-arn "${project%/*}/1"
expect_error ResourceNotFoundException $AWS rekognition detect-custom-labels \
    --project-version-arn "${version%/*}/1" --image-bytes "fileb://$WORK/bees/images/00001.jpg"
expect_error ResourceInUseException $AWS rekognition delete-project-version --project-version-arn "$version"

echo "== authentication"
AWS_SECRET_ACCESS_KEY=wrong-secret expect_error SignatureDoesNotMatch $AWS s3 ls s3://apiary-demo
AWS_SECRET_ACCESS_KEY=wrong-secret expect_error InvalidSignatureException $AWS rekognition describe-projects
AWS_ACCESS_KEY_ID=AKIANOTAREALKEY00000 expect_error InvalidAccessKeyId $AWS s3 ls s3://apiary-demo
AWS_ACCESS_KEY_ID=AKIANOTAREALKEY00000 expect_error UnrecognizedClientException $AWS rekognition describe-projects
code=$(/usr/bin/python3 -c '
import sys, urllib.request, urllib.error
try: print(urllib.request.urlopen(sys.argv[1]).status)
except urllib.error.HTTPError as e: print(e.code)' "$ENDPOINT/apiary-demo/bees/output.manifest")
[ "$code" = 403 ] || fail "an unsigned GET got $code, expected 403"

echo "== keys that try to leave the data directory stay objects"
echo secret > "$WORK/payload.txt"
for key in "../../escaped.txt" "/abs/escaped.txt" "a/../../../escaped.txt"; do
    $AWS s3api put-object --bucket apiary-demo --key "$key" --body "$WORK/payload.txt" > /dev/null
    $AWS s3api get-object --bucket apiary-demo --key "$key" "$WORK/back.txt" > /dev/null
    cmp -s "$WORK/payload.txt" "$WORK/back.txt" || fail "key $key did not round-trip"
done
[ -z "$(find "$WORK" /tmp -maxdepth 3 -name escaped.txt 2>/dev/null)" ] || fail "a key escaped into the file system"

echo "== stop, delete, restart"
$AWS rekognition stop-project-version --project-version-arn "$version" > /dev/null
wait_for_status "$project" STOPPED
expect_error ResourceNotReadyException $AWS rekognition detect-custom-labels --project-version-arn "$version" \
    --image-bytes "fileb://$WORK/bees/images/00001.jpg"
stop_server
start_server --train-option epochs=2 --train-option image_size=128
[ "$($AWS s3 ls --recursive s3://apiary-demo/bees/images/ | wc -l)" = 24 ] || fail "objects lost across a restart"
[ "$(version_status "$project")" = STOPPED ] || fail "version status lost across a restart"
$AWS rekognition delete-project-version --project-version-arn "$version" > /dev/null
$AWS rekognition delete-dataset --dataset-arn "$dataset"
$AWS rekognition delete-project --project-arn "$project" > /dev/null
$AWS s3 rm --recursive --only-show-errors s3://apiary-demo
$AWS s3 rb s3://apiary-demo > /dev/null
[ "$($AWS s3 ls | wc -l)" = 0 ] || fail "bucket not removed"
echo "PASS: aws cli flow"
