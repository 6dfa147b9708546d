#!/usr/bin/env bash
# apiary serve under load (issue 4): DetectCustomLabels from 16 concurrent signed clients for
# 60 s, and 1,000 small images uploaded with `aws s3 cp --recursive`.
# Usage: bench/serve_bench.sh MODEL_DATA_DIR PROJECT VERSION IMAGE [SECONDS]
#   MODEL_DATA_DIR: a data directory holding a trained version (e.g. /tmp/apiary-bench/kangaroo
#   after bench/detector_bench.sh kangaroo); IMAGE: the image every request sends.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$1 PROJECT=$2 VERSION=$3 IMAGE=$4 SECONDS_=${5:-60}
OUT=${BENCH_DIR:-/tmp/apiary-bench}/serve
rm -rf "$OUT" && mkdir -p "$OUT"
source bench/serve_env.sh
start_bench_server "$DATA" "$OUT"
server=$SERVER
endpoint=$ENDPOINT

arn=$($AWS rekognition describe-projects --query "ProjectDescriptions[?contains(ProjectArn, ':project/$PROJECT/')].ProjectArn" --output text)
version=$($AWS rekognition describe-project-versions --project-arn "$arn" --version-names "$VERSION" \
    --query 'ProjectVersionDescriptions[0].ProjectVersionArn' --output text)
$AWS rekognition start-project-version --project-version-arn "$version" --min-inference-units 1 > /dev/null
$AWS rekognition wait project-version-running --project-arn "$arn" --version-names "$VERSION"

echo "== DetectCustomLabels, 16 clients, ${SECONDS_} s"
build/bench/serve_bench --endpoint "$endpoint" --key "$AWS_ACCESS_KEY_ID" --secret "$AWS_SECRET_ACCESS_KEY" \
    --arn "$version" --image "$IMAGE" --clients ${CLIENTS:-16} --seconds "$SECONDS_" --server-pid "$server" | tee "$OUT/detect.json"
$AWS rekognition stop-project-version --project-version-arn "$version" > /dev/null

echo "== PutObject of 1,000 small images with aws s3 cp --recursive"
build/apiary demo-data "$OUT/upload" --images 1000 --seed 2 > /dev/null
$AWS s3 mb s3://serve-bench > /dev/null
start=$(date +%s.%N)
$AWS s3 cp --recursive --only-show-errors "$OUT/upload/images" s3://serve-bench/images
end=$(date +%s.%N)
n=$($AWS s3 ls --recursive s3://serve-bench/images/ | wc -l)
echo "{\"uploaded\": $n, \"bytes\": $(du -sb "$OUT/upload/images" | cut -f1), \"wall_s\": $(/usr/bin/python3 -c "print(round($end - $start, 2))")}" | tee "$OUT/upload.json"
$AWS s3 rm --recursive --only-show-errors s3://serve-bench
$AWS s3 rb s3://serve-bench > /dev/null
