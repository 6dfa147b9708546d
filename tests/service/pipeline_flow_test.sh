#!/usr/bin/env bash
# The event pipeline end to end with Debian's AWS CLI: images uploaded under a prefix are
# answered with <key>.json holding what `apiary detect` says about the same image; pause and
# resume; a corrupt image dead-lettered with its reason while the rest succeed; a SIGKILL in
# the middle of a batch loses and duplicates nothing.
# Usage: pipeline_flow_test.sh APIARY_BINARY
set -euo pipefail
APIARY=$1
source "$(dirname "$0")/serve_support.sh"
SERVE="--train-option epochs=2 --train-option image_size=128 --pipeline-visibility-timeout 2"

"$APIARY" demo-data "$WORK/bees" --images 24 --seed 3 > /dev/null
"$APIARY" demo-data "$WORK/batch1" --images 12 --seed 11 > /dev/null
"$APIARY" demo-data "$WORK/batch2" --images 100 --seed 12 > /dev/null
start_server $SERVE

echo "== a model to run (trained through the API)"
start_demo_model "$WORK/bees"

PIPELINE="$APIARY --data-dir $DATA pipeline"
$PIPELINE create detect --bucket apiary-demo --prefix test_images/ --model bees/v1 --min-confidence 0 --workers 2 > /dev/null

# check_results LOCAL_DIR: every image has exactly one <key>.json equal to `apiary detect`'s answer
check_results() {
    $AWS s3 sync --only-show-errors s3://apiary-demo/test_images/ "$WORK/results/"
    "$APIARY" --data-dir "$DATA" detect --project bees --version v1 --min-confidence 0 --jsonl "$1/images" > "$WORK/expected.jsonl"
    /usr/bin/python3 - "$WORK/expected.jsonl" "$WORK/results" <<'PY' || fail "results differ from apiary detect"
import json, os, sys
expected = [json.loads(line) for line in open(sys.argv[1])]
assert expected, "apiary detect answered nothing"
for e in expected:
    name = os.path.basename(e["Image"])
    result = os.path.join(sys.argv[2], name + ".json")
    assert os.path.exists(result), "no result for " + name
    assert not os.path.exists(result + ".json"), "a result triggered the pipeline: " + name
    got = json.load(open(result))
    assert got == {"CustomLabels": e["CustomLabels"]}, (name, got, e)
PY
}

echo "== upload a folder: every image answered, as apiary detect answers it"
$AWS s3 cp --recursive --only-show-errors "$WORK/batch1/images" s3://apiary-demo/test_images/
wait_done 12
check_results "$WORK/batch1"
[ "$(status_field Done)" = 12 ] || fail "expected 12 done"

echo "== CopyObject and a multipart upload under the prefix trigger it too"
$AWS s3 cp --only-show-errors "$WORK/batch2/images/00004.jpg" s3://apiary-demo/elsewhere/copy-source.jpg
$AWS s3 cp --only-show-errors s3://apiary-demo/elsewhere/copy-source.jpg s3://apiary-demo/test_images/copied.jpg
printf '[default]\ns3 =\n  multipart_threshold = 5KB\n  multipart_chunksize = 5MB\n' > "$WORK/multipart.config"
# Captured before grep reads it: `... | grep -q` fails under pipefail when grep exits first.
debug=$(AWS_CONFIG_FILE="$WORK/multipart.config" $AWS s3 cp --debug "$WORK/batch2/images/00005.jpg" \
    s3://apiary-demo/test_images/multipart.jpg 2>&1)
grep -q CompleteMultipartUpload <<< "$debug" || fail "the upload was not multipart"
wait_done 14
for key in copied.jpg multipart.jpg; do
    $AWS s3 ls "s3://apiary-demo/test_images/$key.json" > /dev/null || fail "no result for $key"
done
$AWS s3 rm --only-show-errors s3://apiary-demo/test_images/copied.jpg.json
$AWS s3 rm --only-show-errors s3://apiary-demo/test_images/multipart.jpg.json
$AWS s3 rm --only-show-errors s3://apiary-demo/test_images/copied.jpg
$AWS s3 rm --only-show-errors s3://apiary-demo/test_images/multipart.jpg

echo "== pause → upload → nothing happens → resume → answered"
$PIPELINE pause detect > /dev/null
$AWS s3 cp --only-show-errors "$WORK/batch2/images/00001.jpg" s3://apiary-demo/test_images/paused.jpg
sleep 1.5
[ "$(status_field Queued)" = 1 ] || fail "the paused pipeline did not keep the event queued"
$AWS s3 ls s3://apiary-demo/test_images/paused.jpg.json > /dev/null 2>&1 && fail "a paused pipeline answered"
$PIPELINE resume detect > /dev/null
wait_done 15

echo "== a corrupt image is dead-lettered with its reason, the others succeed"
head -c 3000 "$WORK/batch2/images/00002.jpg" > "$WORK/corrupt.jpg"
$AWS s3 cp --only-show-errors "$WORK/corrupt.jpg" s3://apiary-demo/test_images/corrupt.jpg
$AWS s3 cp --only-show-errors "$WORK/batch2/images/00003.jpg" s3://apiary-demo/test_images/fine.jpg
wait_done 17
[ "$(status_field DeadLettered)" = 1 ] || fail "the corrupt image was not dead-lettered"
status=$($PIPELINE status detect)
grep -q "dead letter: s3://apiary-demo/test_images/corrupt.jpg: InvalidImageFormatException" <<< "$status" \
    || fail "dead letter lacks its reason: $status"
$AWS s3 ls s3://apiary-demo/test_images/fine.jpg.json > /dev/null || fail "the good image after the corrupt one has no result"

echo "== SIGKILL in the middle of a batch, restart: nothing missing, nothing duplicated"
$AWS s3 rm --recursive --only-show-errors s3://apiary-demo/test_images/
base=$(( $(status_field Done) + $(status_field DeadLettered) ))
$PIPELINE pause detect > /dev/null  # queue the whole batch first, so the kill lands mid-processing
$AWS s3 cp --recursive --only-show-errors "$WORK/batch2/images" s3://apiary-demo/test_images/
$PIPELINE resume detect > /dev/null
# Poll the queue table directly and kill the moment 5 images are answered: an `apiary` start
# per poll is too slow to land the kill inside the batch.
/usr/bin/python3 - "$DATA/apiary.db" $((base + 5)) "$SERVER_PID" <<'PY'
import os, signal, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10)
while db.execute("SELECT count(*) FROM pipeline_messages WHERE pipeline = 'detect' AND state != 'queued'").fetchone()[0] < int(sys.argv[2]):
    time.sleep(0.005)
os.kill(int(sys.argv[3]), signal.SIGKILL)
PY
wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
done_at_kill=$(( $(status_field Done) - base + 1 ))
[ "$done_at_kill" -lt 100 ] || fail "the batch finished before the kill; the test proves nothing"
start_server $SERVE
wait_done $((base + 100))
rm -rf "$WORK/results"
check_results "$WORK/batch2"
[ "$($AWS s3 ls --recursive s3://apiary-demo/test_images/ | grep -c '\.json$')" = 100 ] || fail "expected exactly 100 results"
[ "$(status_field DeadLettered)" = 1 ] || fail "the crash dead-lettered messages"
echo "   ($done_at_kill of 100 images were answered when the server was killed)"

echo "== clean-up as in the walk-through"
$PIPELINE delete detect > /dev/null
$AWS s3 rm --recursive --only-show-errors s3://apiary-demo/test_images/
$AWS rekognition stop-project-version --project-version-arn "$version" > /dev/null
wait_for_status "$project" STOPPED
echo "PASS: pipeline flow"
