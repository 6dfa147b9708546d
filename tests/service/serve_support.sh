# Shared by the service tests: start `apiary serve` on a free loopback port in a fresh data
# directory and point Debian's AWS CLI at it. Source it, then call start_server [ARGS...].
# Sets: WORK, DATA, PORT, ENDPOINT, AWS (the CLI with the endpoint), AWS_ACCESS_KEY_ID/SECRET.
APIARY=${APIARY:?set APIARY to the apiary binary}
WORK=$(mktemp -d /tmp/apiary-serve-test.XXXXXX)
DATA=$WORK/data
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

# The pyenv `aws` earlier on PATH is not the one setup.sh installs; no user config either.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""

fail() { echo "FAIL: $*" >&2; [ -f "$WORK/server.err" ] && tail -20 "$WORK/server.err" >&2; exit 1; }

start_server() {
    "$APIARY" --data-dir "$DATA" serve --port 0 "$@" > "$WORK/server.out" 2> "$WORK/server.err" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        grep -q "listening on" "$WORK/server.out" 2>/dev/null && break
        sleep 0.1
    done
    PORT=$(grep -o '127.0.0.1:[0-9]*' "$WORK/server.out" | cut -d: -f2)
    [ -n "$PORT" ] || fail "the server did not start"
    ENDPOINT=http://127.0.0.1:$PORT
    if grep -q aws_access_key_id "$WORK/server.out"; then
        export AWS_ACCESS_KEY_ID=$(awk '/aws_access_key_id/ {print $3}' "$WORK/server.out")
        export AWS_SECRET_ACCESS_KEY=$(awk '/aws_secret_access_key/ {print $3}' "$WORK/server.out")
    fi
    AWS="/usr/bin/aws --endpoint-url $ENDPOINT"
}

stop_server() {  # SIGTERM: graceful
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || fail "the server exited with an error on SIGTERM"
    SERVER_PID=
}

# wait_for_status ARN PROJECT_ARN STATUS... : polls DescribeProjectVersions (up to 10 min)
version_status() {
    $AWS rekognition describe-project-versions --project-arn "$1" --query 'ProjectVersionDescriptions[0].Status' --output text
}
wait_for_status() {
    local project=$1; shift
    for _ in $(seq 1200); do
        local s; s=$(version_status "$project")
        for want in "$@"; do [ "$s" = "$want" ] && return 0; done
        sleep 0.5
    done
    fail "model version never reached $*"
}
