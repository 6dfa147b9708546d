// EXIF orientation (1–8): the stored pixel grid (W×H, where the manifest's boxes live) against
// the upright picture the browser shows (thumbnails are turned upright by the server, the way
// vision/thumbnail.cpp does: 2 flip ↔, 3 rotate 180°, 4 flip ↕, 5 transpose, 6 rotate 90° CW,
// 7 transverse, 8 rotate 90° CCW).

const norm = (o) => (Number.isInteger(Number(o)) && Number(o) >= 1 && Number(o) <= 8 ? Number(o) : 1);

/** The upright picture's size for a stored grid of W×H. */
export function uprightSize(o, W, H) {
  return norm(o) >= 5 ? { width: H, height: W } : { width: W, height: H };
}

/** A point of the stored grid → the upright picture (pixels). */
export function toUpright(o, W, H, x, y) {
  switch (norm(o)) {
    case 2: return [W - x, y];
    case 3: return [W - x, H - y];
    case 4: return [x, H - y];
    case 5: return [y, x];
    case 6: return [H - y, x];
    case 7: return [H - y, W - x];
    case 8: return [y, W - x];
    default: return [x, y];
  }
}

/** A point of the upright picture (pixels) → the stored grid. */
export function fromUpright(o, W, H, u, v) {
  switch (norm(o)) {
    case 2: return [W - u, v];
    case 3: return [W - u, H - v];
    case 4: return [u, H - v];
    case 5: return [v, u];
    case 6: return [v, H - u];
    case 7: return [W - v, H - u];
    case 8: return [W - v, u];
    default: return [u, v];
  }
}

function rectOf(a, b) {
  const left = Math.min(a[0], b[0]);
  const top = Math.min(a[1], b[1]);
  return { left, top, width: Math.abs(a[0] - b[0]), height: Math.abs(a[1] - b[1]) };
}

/** A box in stored-grid pixels → ratios (0..1) of the upright picture. */
export function storedToUprightRatio(o, W, H, box) {
  const { width: UW, height: UH } = uprightSize(o, W, H);
  const r = rectOf(toUpright(o, W, H, box.left, box.top), toUpright(o, W, H, box.left + box.width, box.top + box.height));
  return { ...box, left: r.left / UW, top: r.top / UH, width: r.width / UW, height: r.height / UH };
}

/** Ratios (0..1) of the upright picture → a box in stored-grid pixels (not rounded). */
export function uprightRatioToStored(o, W, H, box) {
  const { width: UW, height: UH } = uprightSize(o, W, H);
  const r = rectOf(fromUpright(o, W, H, box.left * UW, box.top * UH),
    fromUpright(o, W, H, (box.left + box.width) * UW, (box.top + box.height) * UH));
  return { ...box, ...r };
}

/** Whole pixels inside the grid, at least 1×1. */
export function roundBox(box, W, H) {
  let left = Math.max(0, Math.min(W - 1, Math.round(box.left)));
  let top = Math.max(0, Math.min(H - 1, Math.round(box.top)));
  const right = Math.max(left + 1, Math.min(W, Math.round(box.left + box.width)));
  const bottom = Math.max(top + 1, Math.min(H, Math.round(box.top + box.height)));
  return { ...box, left, top, width: right - left, height: bottom - top };
}
