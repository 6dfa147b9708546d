// Unit checks of the console's pure labelling code (no server, no browser): EXIF orientation
// mapping, the manifest lines it writes, and which images two versions judge differently.
// usage: node console/test/unit.mjs
import { storedToUprightRatio, toUpright, fromUpright, uprightRatioToStored, uprightSize, roundBox } from '../src/lib/orientation.js';
import { detectionLine, storedBoxesOf, withClassLabel, withoutClassLabel, classificationAttrs, unlabelledLine } from '../src/lib/labelling.js';
import { disagreements } from '../src/lib/compare.js';
import { mergeLabels } from '../src/lib/project-labels.js';
import { historyOf, push, undo, redo } from '../src/lib/history.js';

let failures = 0;
const eq = (got, want, what) => {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) {
    failures++;
    console.error(`FAIL ${what}\n  got  ${g}\n  want ${w}`);
  }
};
const near = (a, b) => Math.abs(a - b) < 1e-9;

// orientation: where the stored grid's top-left corner (0,0) lands upright, for a 300x200 grid
const W = 300;
const H = 200;
const corner = { 1: [0, 0], 2: [300, 0], 3: [300, 200], 4: [0, 200], 5: [0, 0], 6: [200, 0], 7: [200, 300], 8: [0, 300] };
for (let o = 1; o <= 8; o++) {
  eq(toUpright(o, W, H, 0, 0), corner[o], `orientation ${o}: the stored top-left corner upright`);
  eq(uprightSize(o, W, H), o >= 5 ? { width: 200, height: 300 } : { width: 300, height: 200 }, `orientation ${o}: the upright size`);
  for (const [x, y] of [[0, 0], [13, 7], [300, 200], [299, 1]]) {
    eq(fromUpright(o, W, H, ...toUpright(o, W, H, x, y)), [x, y], `orientation ${o}: (${x},${y}) there and back`);
  }
  const box = { label: 'bee', left: 10, top: 20, width: 50, height: 30 };
  const r = storedToUprightRatio(o, W, H, box);
  const back = roundBox(uprightRatioToStored(o, W, H, r), W, H);
  eq(back, box, `orientation ${o}: a box there and back`);
  const inside = [r.left, r.top, r.width, r.height].every((v) => v >= 0 && v <= 1);
  eq(inside, true, `orientation ${o}: ratios within the picture`);
}
// rotate 90° clockwise (6): the stored top edge becomes the upright right edge
const six = storedToUprightRatio(6, W, H, { left: 0, top: 0, width: 300, height: 20 });
eq([near(six.left, 0.9), near(six.top, 0), near(six.width, 0.1), near(six.height, 1)], [true, true, true, true], 'orientation 6: the top strip is the right strip');
eq(roundBox({ left: -3.2, top: 5.4, width: 400, height: 0.2 }, W, H), { left: 0, top: 5, width: 300, height: 1 }, 'roundBox clamps to the grid, at least 1 px');

// detection lines keep the attribute name and everything else on the line
const line = JSON.stringify({
  'source-ref': 's3://b/1.jpg', extra: { keep: 1 },
  bees: { image_size: [{ width: 320, height: 240, depth: 3 }], annotations: [{ class_id: 4, left: 1, top: 2, width: 3, height: 4 }] },
  'bees-metadata': { 'class-map': { 4: 'bee' }, type: 'groundtruth/object-detection' },
});
eq(storedBoxesOf(JSON.parse(line)), [{ label: 'bee', left: 1, top: 2, width: 3, height: 4 }], 'storedBoxesOf reads the class map');
const out = JSON.parse(detectionLine(line, [{ label: 'flower', left: 10.4, top: 20.6, width: 30, height: 40 }, { label: 'bee', left: 0, top: 0, width: 5, height: 5 }], ['bee', 'flower'], 320, 240));
eq(Object.keys(out).sort(), ['bees', 'bees-metadata', 'extra', 'source-ref'], 'detectionLine keeps the attribute name and other keys');
eq(out.bees.annotations, [{ class_id: 1, left: 10, top: 21, width: 30, height: 40 }, { class_id: 0, left: 0, top: 0, width: 5, height: 5 }], 'detectionLine writes whole pixels and class ids in label order');
eq(out['bees-metadata']['class-map'], { 0: 'bee', 1: 'flower' }, 'detectionLine class map');
eq([out['bees-metadata'].type, out['bees-metadata']['human-annotated'], out['bees-metadata']['job-name'], out['bees-metadata'].objects.length],
  ['groundtruth/object-detection', 'yes', 'apiary-console', 2], 'detectionLine metadata');
eq(Object.keys(JSON.parse(detectionLine(JSON.stringify({ 'source-ref': 'x' }), [], [], 10, 10))).sort(), ['bounding-box', 'bounding-box-metadata', 'source-ref'], 'a new detection attribute is bounding-box');

// image-level labels
const cls = withClassLabel(unlabelledLine('s3://b/2.jpg'), 'cat', ['dog', 'cat']);
eq(classificationAttrs(JSON.parse(cls)), [{ attr: 'class', label: 'cat' }], 'an unlabelled image takes a class label (the empty detection attribute gives way)');
eq(JSON.parse(cls).class, 1, 'the class id is the label\'s index');
eq(withClassLabel(cls, 'cat', ['dog', 'cat']), null, 'the same label again changes nothing');
const dog = JSON.parse(withClassLabel(cls, 'dog', ['dog', 'cat']));
eq(classificationAttrs(dog), [{ attr: 'class', label: 'dog' }], 'another label replaces it (one per image)');
eq(Object.keys(JSON.parse(withoutClassLabel(JSON.stringify(dog), 'dog'))), ['source-ref'], 'removing the label');
eq(withoutClassLabel(JSON.stringify(dog), 'cat'), null, 'removing a label it does not have changes nothing');

// disagreements
const img = (ref, outcomes) => ({ ref, falsePositives: outcomes.filter((o) => o === 'FP').length, falseNegatives: outcomes.filter((o) => o === 'FN').length,
  boxes: outcomes.map((o) => ({ label: 'bee', outcome: o })) });
eq(disagreements([img('a', ['TP', 'FP']), img('b', ['TP'])], [img('a', ['FP', 'TP']), img('b', ['FN'])]).map((d) => d.ref), ['b'], 'only b is judged differently');

// labels order and history
eq(mergeLabels(['flower', 'bee'], { order: ['wasp', 'flower'], added: ['wasp', 'moth'] }), ['wasp', 'flower', 'bee', 'moth'], 'the remembered order first, then new labels');
let h = push(push(historyOf(0), 1), 2);
h = undo(undo(h));
eq(h.present, 0, 'undo twice');
h = redo(h);
eq([h.present, h.future.length], [1, 1], 'redo once');
eq(push(h, 5).future.length, 0, 'a new change drops the redo stack');

if (failures) {
  console.error(`FAIL: console unit (${failures} failed)`);
  process.exit(1);
}
console.log('PASS: console unit');
