// Unit checks of the console's pure labelling code (no server, no browser): EXIF orientation
// mapping, the manifest lines it writes, which images two versions judge differently, and the
// review loop's JPEG reading and model boxes.
// usage: node console/test/unit.mjs
import { storedToUprightRatio, toUpright, fromUpright, uprightRatioToStored, uprightSize, roundBox } from '../src/lib/orientation.js';
import { detectionLine, storedBoxesOf, withClassLabel, withoutClassLabel, classificationAttrs, unlabelledLine } from '../src/lib/labelling.js';
import { disagreements } from '../src/lib/compare.js';
import { mergeLabels } from '../src/lib/project-labels.js';
import { historyOf, push, undo, redo } from '../src/lib/history.js';
import { jpegInfo } from '../src/lib/jpeg-info.js';
import { modelBoxes, reviewLine, storedModelBoxes } from '../src/lib/reviews.js';
import { classificationOf, confusionMatrix, isClassificationAnswer, labelsAtOrAbove, labelOutcomes } from '../src/lib/classification.js';

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

// the review loop: a JPEG's stored grid and EXIF orientation from its bytes
function jpeg(width, height, orientation, little = false) {
  const parts = [Buffer.from([0xff, 0xd8])];
  parts.push(Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])); // JFIF
  if (orientation) {
    const tiff = Buffer.alloc(26);
    const u16 = (v, at) => (little ? tiff.writeUInt16LE(v, at) : tiff.writeUInt16BE(v, at));
    const u32 = (v, at) => (little ? tiff.writeUInt32LE(v, at) : tiff.writeUInt32BE(v, at));
    tiff.write(little ? 'II' : 'MM', 0, 'latin1');
    u16(42, 2); u32(8, 4); u16(1, 8); u16(0x0112, 10); u16(3, 12); u32(1, 14); u16(orientation, 18); u32(0, 22);
    const head = Buffer.alloc(10);
    head.writeUInt16BE(0xffe1, 0);
    head.writeUInt16BE(2 + 6 + tiff.length, 2);
    head.write('Exif\0\0', 4, 'latin1');
    parts.push(head, tiff);
  }
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  parts.push(sof, Buffer.from([0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]));
  const b = Buffer.concat(parts);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
}
eq(jpegInfo(jpeg(640, 480)), { height: 480, width: 640, orientation: 1 }, 'a JPEG without EXIF: its grid, orientation 1');
eq(jpegInfo(jpeg(640, 480, 6)), { height: 480, width: 640, orientation: 6 }, 'EXIF orientation 6 (big-endian)');
eq(jpegInfo(jpeg(320, 240, 8, true)), { height: 240, width: 320, orientation: 8 }, 'EXIF orientation 8 (little-endian)');
eq(jpegInfo(new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer), null, 'not a JPEG');
// the model's ratios (of the upright picture) as stored-grid pixels, and the accept's line
const answer = { CustomLabels: [
  { Name: 'bee', Confidence: 42.5, Geometry: { BoundingBox: { Left: 0.1, Top: 0.2, Width: 0.25, Height: 0.5 } } },
  { Name: 'meadow', Confidence: 90 },
] };
const ratios = modelBoxes(answer);
eq(ratios.length, 1, 'image-level labels are no boxes');
eq(storedModelBoxes(ratios, { width: 400, height: 200, orientation: 1 }), [{ label: 'bee', left: 40, top: 40, width: 100, height: 100 }], 'upright: ratios times the grid');
// orientation 6: a 400x200 stored grid shows as 200x400 upright
const turned = storedModelBoxes(ratios, { width: 400, height: 200, orientation: 6 })[0];
eq(turned, { label: 'bee', left: 80, top: 130, width: 200, height: 50 }, 'orientation 6: ratios of the upright picture into the stored grid');
const rv = JSON.parse(reviewLine({ Bucket: 'in', Key: 'a/b.jpg' }, [{ label: 'bee', left: 40, top: 40, width: 100, height: 100 }], ['flower', 'bee'], { width: 400, height: 200 }));
eq([rv['source-ref'], rv['bounding-box'].image_size, rv['bounding-box'].annotations, rv['bounding-box-metadata']['class-map']],
  ['s3://in/a/b.jpg', [{ width: 400, height: 200, depth: 3 }], [{ class_id: 1, left: 40, top: 40, width: 100, height: 100 }], { 1: 'bee' }],
  'the accepted line: source-ref, image_size, boxes in the project\'s label order');

// classification: the evaluation's shape (src/train/classifier_evaluation.cpp, src/eval/classification.cpp)
const single = {
  task: 'classification',
  overall: { f1: 0.8, precision: 0.8, recall: 0.8, ap50: 0.9, accuracy: 0.75, macro_f1: 0.7 },
  labels: [{ label: 'circle' }, { label: 'square' }, { label: 'triangle' }],
  classification: { task: 'classification', images: 8, accuracy: 0.75, macro_f1: 0.7,
    confusion_matrix: { labels: ['circle', 'square', 'triangle'], rows: [[3, 1, 0], [0, 2, 0], [1, 0, 1]] } },
};
const c1 = classificationOf(single);
eq([c1.task, c1.multiLabel, c1.accuracy, c1.macroF1, c1.images], ['classification', false, 0.75, 0.7, 8], 'classificationOf reads task, accuracy, macro F1, images');
eq(c1.matrix.labels, ['circle', 'square', 'triangle'], 'the matrix columns are the labels');
eq(c1.matrix.rows.map((r) => r.truth), ['circle', 'square', 'triangle'], 'the matrix rows are the true labels');
eq(c1.matrix.rows.map((r) => r.cells.map((c) => c.count)), [[3, 1, 0], [0, 2, 0], [1, 0, 1]], 'the matrix counts, row by true label');
eq(c1.matrix.rows.map((r) => r.total), [4, 2, 2], 'each row totals its true label\'s images');
eq(c1.matrix.total, 8, 'the matrix sums to the test images');
eq(c1.matrix.rows[0].cells[1], { truth: 'circle', predicted: 'square', count: 1, diagonal: false }, 'a cell: truth, predicted, count');
eq(c1.matrix.rows.flatMap((r) => r.cells.filter((c) => c.diagonal).map((c) => [c.truth, c.predicted])), [['circle', 'circle'], ['square', 'square'], ['triangle', 'triangle']], 'the diagonal');
eq(classificationOf({ overall: { f1: 0.5, ap50: 0.4 }, labels: [{ label: 'bee' }] }), null, 'a detector\'s evaluation is no classification');
eq([classificationOf(null), classificationOf(undefined), confusionMatrix({})], [null, null, null], 'nothing loaded: no classification, no matrix');
const multi = classificationOf({ task: 'multi-label-classification', overall: { accuracy: 0.5, macro_f1: 0.6 }, classification: { task: 'multi-label-classification', images: 4, accuracy: 0.5, macro_f1: 0.6 } });
eq([multi.task, multi.multiLabel, multi.matrix, multi.accuracy], ['multi-label-classification', true, null, 0.5], 'multi-label: no confusion matrix');
eq(classificationOf({ overall: { accuracy: 0.5, macro_f1: 0.4 } }).task, 'classification', 'accuracy alone (no task) still reads as a classifier');
eq(classificationOf({ classification: { task: 'classification', accuracy: 1, macro_f1: 1 } }).accuracy, 1, 'the classification block alone');
const ragged = confusionMatrix({ classification: { confusion_matrix: { labels: ['a', 'b'], rows: [[1, 'x', 9], null] } } });
eq([ragged.rows.map((r) => r.cells.map((c) => c.count)), ragged.total], [[[1, 0], [0, 0]], 1], 'a ragged matrix: bad counts 0, extra columns cut, missing rows empty');
eq(confusionMatrix({ confusion_matrix: { labels: ['x'], rows: [[2]] } }).total, 2, 'a top-level confusion_matrix is read too');
// Try it: a classifier's answer has no Geometry; the slider keeps Confidence >= value, best first
const ranking = [{ Name: 'square', Confidence: 20 }, { Name: 'circle', Confidence: 70.5 }, { Name: 'triangle', Confidence: 50 }, { Name: 'star', Confidence: 49.99 }];
eq(isClassificationAnswer(ranking), true, 'labels without boxes are a classifier\'s answer');
eq(isClassificationAnswer([{ Name: 'bee', Confidence: 90, Geometry: { BoundingBox: { Left: 0, Top: 0, Width: 1, Height: 1 } } }]), false, 'a box: a detector');
eq([isClassificationAnswer([]), isClassificationAnswer(null)], [false, false], 'no labels decide nothing');
eq(labelsAtOrAbove(ranking, 50).map((l) => l.Name), ['circle', 'triangle'], 'at 50%: 50 kept (>=), 49.99 hidden, best first');
eq(labelsAtOrAbove(ranking, 0).map((l) => l.Name), ['circle', 'triangle', 'star', 'square'], 'at 0%: all, best first');
eq(labelsAtOrAbove(ranking, 70.6).length, 0, 'above the best: none');
eq(labelsAtOrAbove([{ Name: 'b', Confidence: 60 }, { Name: 'a', Confidence: 60 }], 10).map((l) => l.Name), ['b', 'a'], 'ties keep the answer\'s order');
eq(labelsAtOrAbove(null, 10), [], 'no answer: no labels');
// the explorer: a classifier's whole-image boxes as labels by outcome
const judged = { ref: 's3://b/x.jpg', boxes: [
  { label: 'square', outcome: 'FN', confidence: 0, left: 0, top: 0, width: 96, height: 96 },
  { label: 'circle', outcome: 'FP', confidence: 61.2, left: 0, top: 0, width: 96, height: 96 },
  { label: 'star', outcome: 'FP', confidence: 80, left: 0, top: 0, width: 96, height: 96 },
  { label: 'dot', outcome: 'TP', confidence: 55, left: 0, top: 0, width: 96, height: 96 }] };
eq(labelOutcomes(judged), [{ label: 'dot', outcome: 'TP', confidence: 55 }, { label: 'star', outcome: 'FP', confidence: 80 },
  { label: 'circle', outcome: 'FP', confidence: 61.2 }, { label: 'square', outcome: 'FN', confidence: undefined }], 'labelOutcomes: right, wrong best first, missed without a confidence');
eq([labelOutcomes({ ref: 'x' }), labelOutcomes(null)], [[], []], 'an image without boxes: no labels');

if (failures) {
  console.error(`FAIL: console unit (${failures} failed)`);
  process.exit(1);
}
console.log('PASS: console unit');
