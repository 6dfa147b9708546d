# Shared by the serve benchmarks: a signed `apiary serve` on a free port over an existing data
# directory, with a throw-away access key. Source it, then: start_bench_server DATA OUT
# Sets SERVER (pid), ENDPOINT, AWS (the CLI with the endpoint) and the AWS_* credentials; the key
# and the server go away on exit.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
BENCH_CLEANUP=()
on_exit() { for c in "${BENCH_CLEANUP[@]}"; do eval "$c" > /dev/null 2>&1 || true; done; }
trap on_exit EXIT

start_bench_server() {
    local data=$1 out=$2
    local key
    key=$(build/apiary --data-dir "$data" --json credentials create --description bench)
    export AWS_ACCESS_KEY_ID=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessKeyId"])' <<< "$key")
    export AWS_SECRET_ACCESS_KEY=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["SecretAccessKey"])' <<< "$key")
    ${SERVE_ENV:-} build/apiary --data-dir "$data" serve --port 0 ${SERVE_ARGS:-} > "$out/server.out" 2> "$out/server.err" &
    SERVER=$!
    BENCH_CLEANUP=("kill $SERVER; wait $SERVER" "build/apiary --data-dir '$data' credentials delete $AWS_ACCESS_KEY_ID" "${BENCH_CLEANUP[@]}")
    for _ in $(seq 100); do grep -q "listening on" "$out/server.out" && break; sleep 0.1; done
    ENDPOINT=http://$(grep -m1 -o '127.0.0.1:[0-9]*' "$out/server.out")
    AWS="/usr/bin/aws --endpoint-url $ENDPOINT"
}
