// Which test images two versions judge differently (each at its assumed thresholds).

/** An image's per-box outcomes as a comparable key: counts of label/outcome pairs. */
export function outcomeKey(image) {
  const counts = {};
  for (const b of image?.boxes || []) {
    const k = `${b.label}\u0000${b.outcome}`;
    counts[k] = (counts[k] || 0) + 1;
  }
  return JSON.stringify(Object.keys(counts).sort().map((k) => [k, counts[k]]));
}

/** [{ref, a, b}] of the images whose outcomes differ, most different first. */
export function disagreements(imagesA, imagesB) {
  const byRef = (list) => new Map((list || []).map((i) => [i.ref, i]));
  const A = byRef(imagesA);
  const B = byRef(imagesB);
  const out = [];
  for (const ref of new Set([...A.keys(), ...B.keys()])) {
    const a = A.get(ref);
    const b = B.get(ref);
    if (outcomeKey(a) === outcomeKey(b)) continue;
    const wrong = (i) => (i ? i.falsePositives + i.falseNegatives : 0);
    out.push({ ref, a, b, gap: Math.abs(wrong(a) - wrong(b)) });
  }
  return out.sort((p, q) => q.gap - p.gap || p.ref.localeCompare(q.ref));
}
