#!/usr/bin/env bash
# Event pipeline end to end (issue 5): 1,000 images uploaded with `aws s3 cp --recursive` under
# a pipeline's prefix; time until every <key>.json exists, images/s, upload-to-result latency.
# Usage: bench/pipeline_bench.sh MODEL_DATA_DIR PROJECT VERSION [IMAGES] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$1 PROJECT=$2 VERSION=$3 N=${4:-1000} WORKERS=${5:-1}
OUT=${BENCH_DIR:-/tmp/apiary-bench}/pipeline
rm -rf "$OUT" && mkdir -p "$OUT"
APIARY="build/apiary --data-dir $DATA"
source bench/serve_env.sh
start_bench_server "$DATA" "$OUT"
BENCH_CLEANUP=("$APIARY pipeline delete bench" "${BENCH_CLEANUP[@]}")

build/apiary demo-data "$OUT/images" --images "$N" --seed 21 > /dev/null
$AWS s3 mb s3://pipeline-bench > /dev/null
$APIARY pipeline create bench --bucket pipeline-bench --prefix test_images/ --model "$PROJECT/$VERSION" --workers "$WORKERS" > /dev/null
# Warm: the first event starts the model; time the batch with it running.
$AWS s3 cp --only-show-errors "$OUT/images/images/00001.jpg" s3://pipeline-bench/warm/00001.jpg
$AWS s3 cp --only-show-errors "$OUT/images/images/00001.jpg" s3://pipeline-bench/test_images/warm.jpg
until $AWS s3 ls s3://pipeline-bench/test_images/warm.jpg.json > /dev/null 2>&1; do sleep 0.2; done

start=$(date +%s.%N)
$AWS s3 cp --recursive --only-show-errors "$OUT/images/images" s3://pipeline-bench/test_images/batch/
uploaded=$(date +%s.%N)
# Poll the queue table from one light process: an `apiary` start per poll would load libtorch
# and take CPU from the server being measured.
/usr/bin/python3 - "$DATA/apiary.db" $((N + 1)) <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10)
while db.execute("SELECT count(*) FROM pipeline_messages WHERE pipeline = 'bench' AND state != 'queued'").fetchone()[0] < int(sys.argv[2]):
    time.sleep(0.1)
PY
end=$(date +%s.%N)
status() { $APIARY pipeline status bench --json; }
results=$($AWS s3 ls --recursive s3://pipeline-bench/test_images/batch/ | grep -c '\.json$')
status > "$OUT/status.json"
/usr/bin/python3 - "$OUT/status.json" "$start" "$uploaded" "$end" "$N" "$results" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
start, uploaded, end, n, results = map(float, sys.argv[2:])
print(json.dumps({"images": int(n), "results": int(results), "upload_s": round(uploaded - start, 2),
                  "end_to_end_s": round(end - start, 2), "images_per_s": round(n / (end - start), 1),
                  "latency_p50_ms": round(s["LatencyP50Ms"]), "latency_p99_ms": round(s["LatencyP99Ms"]),
                  "dead_lettered": s["DeadLettered"]}, indent=2))
PY
$AWS s3 rm --recursive --only-show-errors s3://pipeline-bench
$AWS s3 rb s3://pipeline-bench > /dev/null
