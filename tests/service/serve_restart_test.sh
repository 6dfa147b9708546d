#!/usr/bin/env bash
# A server killed mid-training (SIGKILL) or stopped (SIGTERM) comes back with the training
# job resumed from its checkpoint and finished — never stuck in TRAINING_IN_PROGRESS — and a
# running model running again.
# Usage: serve_restart_test.sh APIARY_BINARY
set -euo pipefail
APIARY=$1
source "$(dirname "$0")/serve_support.sh"
TRAIN="--train-option epochs=12 --train-option image_size=128"

"$APIARY" demo-data "$WORK/bees" --images 24 --seed 4 > /dev/null
start_server $TRAIN
$AWS s3 mb s3://apiary-demo > /dev/null
$AWS s3 cp --recursive --only-show-errors "$WORK/bees" s3://apiary-demo/bees
project=$($AWS rekognition create-project --project-name bees --query ProjectArn --output text)
$AWS rekognition create-dataset --project-arn "$project" --dataset-type TRAIN \
    --dataset-source '{"GroundTruthManifest":{"S3Object":{"Bucket":"apiary-demo","Name":"bees/output.manifest"}}}' > /dev/null

# wait_for_checkpoint VERSION: the first epoch's checkpoint is on disk
wait_for_checkpoint() {
    for _ in $(seq 600); do
        [ -f "$DATA/models/bees/.checkpoints/$1/current/state.json" ] && return 0
        sleep 0.1
    done
    fail "no checkpoint for $1"
}

echo "== SIGKILL mid-training, restart: the job resumes and completes"
$AWS rekognition create-project-version --project-arn "$project" --version-name v1 --output-config S3Bucket=apiary-demo,S3KeyPrefix=eval/ > /dev/null
wait_for_checkpoint v1
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
start_server $TRAIN
grep -q "resum" "$WORK/server.err" || true
[ "$(version_status "$project")" = TRAINING_IN_PROGRESS ] || fail "v1 is not in progress after the restart"
wait_for_status "$project" TRAINING_COMPLETED TRAINING_FAILED
[ "$(version_status "$project")" = TRAINING_COMPLETED ] || fail "v1 ended $(version_status "$project")"

echo "== a running model runs again after a SIGKILL"
v1=$($AWS rekognition describe-project-versions --project-arn "$project" --query 'ProjectVersionDescriptions[0].ProjectVersionArn' --output text)
$AWS rekognition start-project-version --project-version-arn "$v1" --min-inference-units 1 > /dev/null
wait_for_status "$project" RUNNING
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
start_server $TRAIN
wait_for_status "$project" RUNNING
$AWS rekognition detect-custom-labels --project-version-arn "$v1" --image-bytes "fileb://$WORK/bees/images/00001.jpg" > /dev/null \
    || fail "detect after the restart"
$AWS rekognition stop-project-version --project-version-arn "$v1" > /dev/null
wait_for_status "$project" STOPPED

echo "== SIGTERM mid-training: a clean exit, then the job resumes"
$AWS rekognition create-project-version --project-arn "$project" --version-name v2 --output-config S3Bucket=apiary-demo,S3KeyPrefix=eval/ > /dev/null
wait_for_checkpoint v2
stop_server
start_server $TRAIN
v2_status() {
    $AWS rekognition describe-project-versions --project-arn "$project" --version-names v2 \
        --query 'ProjectVersionDescriptions[0].Status' --output text
}
for _ in $(seq 1200); do
    s=$(v2_status)
    [ "$s" != TRAINING_IN_PROGRESS ] && break
    sleep 0.5
done
[ "$(v2_status)" = TRAINING_COMPLETED ] || fail "v2 ended $(v2_status)"
echo "PASS: serve restart"
