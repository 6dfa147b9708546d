#!/usr/bin/env bash
# Two apiary binaries' HTTP front ends side by side (issue 9: the Beast front end must be no more
# than 5% slower than cpp-httplib's): DetectCustomLabels from 16 signed clients, and 1,000 small
# images uploaded with `aws s3 cp --recursive`, the binaries alternating over ROUNDS rounds so
# that this host's fast and slow states fall on both.
# Usage: bench/frontend_compare.sh OLD_APIARY NEW_APIARY [ROUNDS] [SECONDS]
#   The model is trained once by OLD_APIARY (a demo dataset, 320 px, 8 epochs); each run
#   gets a fresh copy of that data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$(realpath "$1") NEW=$(realpath "$2") ROUNDS=${3:-3} SECONDS_=${4:-20}
OUT=${BENCH_DIR:-/tmp/apiary-bench}/frontend
mkdir -p "$OUT"
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""

if [ ! -d "$OUT/model-data" ]; then
    "$OLD" demo-data "$OUT/demo" --images 80 --seed 3 > /dev/null
    "$OLD" --data-dir "$OUT/model-data" project create bees > /dev/null
    "$OLD" --data-dir "$OUT/model-data" dataset import bees --manifest "$OUT/demo/output.manifest" --map "s3://apiary-demo/bees/images=$OUT/demo/images" > /dev/null
    "$OLD" --data-dir "$OUT/model-data" train bees --version-name v1 --image-size 320 --epochs 8 > /dev/null
    "$OLD" demo-data "$OUT/upload" --images 1000 --seed 2 > /dev/null
fi
image=$(ls "$OUT/demo/images/"* | head -1)

run_one() {  # BINARY LABEL ROUND
    local bin=$1 label=$2 round=$3
    local data="$OUT/run-data" log="$OUT/$label-$round"
    rm -rf "$data" && cp -a "$OUT/model-data" "$data" && chmod -R go-rwx "$data"
    local key id secret server endpoint aws
    key=$("$bin" --data-dir "$data" --json credentials create --description bench)
    id=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])' <<< "$key")
    secret=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])' <<< "$key")
    "$bin" --data-dir "$data" serve --port 0 > "$log.out" 2> "$log.err" &
    server=$!
    for _ in $(seq 100); do grep -q "listening on" "$log.out" && break; sleep 0.1; done
    endpoint=http://$(grep -m1 -o '127.0.0.1:[0-9]*' "$log.out")
    aws="/usr/bin/aws --endpoint-url $endpoint"
    export AWS_ACCESS_KEY_ID=$id AWS_SECRET_ACCESS_KEY=$secret
    local arn version
    arn=$($aws rekognition describe-projects --query "ProjectDescriptions[0].ProjectArn" --output text)
    version=$($aws rekognition describe-project-versions --project-arn "$arn" \
        --query 'ProjectVersionDescriptions[0].ProjectVersionArn' --output text)
    $aws rekognition start-project-version --project-version-arn "$version" --min-inference-units 1 > /dev/null
    $aws rekognition wait project-version-running --project-arn "$arn" --version-names v1
    build/bench/serve_bench --endpoint "$endpoint" --key "$id" --secret "$secret" --arn "$version" --image "$image" \
        --clients 16 --seconds "$SECONDS_" --server-pid "$server" > "$log.detect.json" || true
    $aws s3 mb s3://upload-bench > /dev/null
    local start end
    start=$(date +%s.%N)
    $aws s3 cp --recursive --only-show-errors "$OUT/upload/images" s3://upload-bench/images
    end=$(date +%s.%N)
    kill "$server" && wait "$server" || true
    /usr/bin/python3 - "$log.detect.json" "$label" "$round" "$start" "$end" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({"front_end": sys.argv[2], "round": int(sys.argv[3]), "detect_requests_per_s": round(d["requests_per_s"], 2),
                  "detect_p50_ms": round(d["p50_ms"], 1), "detect_p99_ms": round(d["p99_ms"], 1), "errors": d["errors"],
                  "server_rss_mb": d.get("server_rss_mb"), "upload_1000_s": round(float(sys.argv[5]) - float(sys.argv[4]), 2)}))
PY
}

for round in $(seq "$ROUNDS"); do
    run_one "$OLD" old "$round" | tee -a "$OUT/results.jsonl"
    run_one "$NEW" new "$round" | tee -a "$OUT/results.jsonl"
done
/usr/bin/python3 - "$OUT/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for key in ("detect_requests_per_s", "detect_p99_ms", "upload_1000_s"):
    old = statistics.median(r[key] for r in rows if r["front_end"] == "old")
    new = statistics.median(r[key] for r in rows if r["front_end"] == "new")
    print(f"{key}: old median {old}, new median {new}, new/old {new / old:.3f}")
PY
