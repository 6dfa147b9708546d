#!/usr/bin/env bash
# Encryption at rest with `apiary serve --encryption-key-file`: a queued pipeline message keeps
# no object name in SQLite, a result object's blob holds no plaintext yet reads back as JSON
# through S3, and a server restarted without the key still reports status and dead-letters
# sealed messages with a clear reason instead of failing.
# Usage: encryption_at_rest_test.sh APIARY_BINARY
set -euo pipefail
APIARY=$1
source "$(dirname "$0")/serve_support.sh"
SERVE="--train-option epochs=2 --train-option image_size=128"
KEY=$WORK/key
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$KEY"
chmod 600 "$KEY"

sql() { /usr/bin/python3 -c 'import sqlite3,sys; print("\n".join("|".join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' "$DATA/apiary.db" "$1"; }

"$APIARY" demo-data "$WORK/bees" --images 24 --seed 3 > /dev/null
chmod 644 "$KEY"
# Another data directory: the first serve of $DATA prints the access key start_server reads.
"$APIARY" --data-dir "$WORK/refused" serve --port 0 --encryption-key-file "$KEY" > /dev/null 2> "$WORK/refused.err" \
    && fail "a key file readable by others was accepted"
grep -q "chmod 600" "$WORK/refused.err" || fail "no chmod advice: $(cat "$WORK/refused.err")"
chmod 600 "$KEY"
start_server $SERVE --encryption-key-file "$KEY"

echo "== a model to run (trained through the API)"
start_demo_model "$WORK/bees"

PIPELINE="$APIARY --data-dir $DATA pipeline"
$PIPELINE create detect --bucket apiary-demo --prefix test_images/ --model bees/v1 --min-confidence 0 > /dev/null

echo "== a queued message is sealed in SQLite"
$PIPELINE pause detect > /dev/null
$AWS s3 cp --only-show-errors "$WORK/bees/images/00001.jpg" s3://apiary-demo/test_images/hive.jpg
row=$(sql "SELECT bucket, key, etag, sealed FROM pipeline_messages")
[ -n "$row" ] || fail "no queued message"
case "$row" in *hive*|*apiary-demo*|*"|None") fail "message stored in plain text: $row" ;; esac

echo "== its result reads back as JSON through S3; the blob on disk holds no plaintext"
$PIPELINE resume detect > /dev/null
wait_done 1
[ "$(status_field Done)" = 1 ] || fail "the message was not processed: $($PIPELINE status detect)"
$AWS s3 cp --only-show-errors s3://apiary-demo/test_images/hive.jpg.json "$WORK/result.json"
/usr/bin/python3 -c 'import json,sys; assert "CustomLabels" in json.load(open(sys.argv[1]))' "$WORK/result.json" \
    || fail "the result is not the JSON response: $(head -c 200 "$WORK/result.json")"
blob=$(sql "SELECT blob FROM objects WHERE key = 'test_images/hive.jpg.json' AND encrypted = 1")
[ -n "$blob" ] || fail "the result object is not marked encrypted"
grep -q CustomLabels "$DATA/$blob" && fail "the result blob holds plaintext"

echo "== restarted without the key: status works, sealed messages are dead-lettered clearly"
$PIPELINE pause detect > /dev/null
$AWS s3 cp --only-show-errors "$WORK/bees/images/00002.jpg" s3://apiary-demo/test_images/later.jpg
stop_server
start_server $SERVE
$PIPELINE status detect > /dev/null || fail "status needs the key"
$PIPELINE resume detect > /dev/null
wait_done 2
status=$($PIPELINE status detect)
grep -q "(encrypted).*message is encrypted; start apiary serve with the key file" <<< "$status" \
    || fail "dead letter lacks its reason: $status"
$AWS s3 cp --only-show-errors s3://apiary-demo/test_images/hive.jpg.json - > /dev/null 2>&1 \
    && fail "an encrypted result was served without the key"
stop_server
echo "PASS: encryption at rest"
