// The review loop (console/README.md, "The review loop"): the queue, its decisions, and the
// model's answer for one reviewed image turned into editable boxes.
import { consoleApi, rekognition, s3get, s3path } from '../api.js';
import { parseArn } from './arn.js';
import { jpegInfo } from './jpeg-info.js';
import { roundBox, uprightRatioToStored } from './orientation.js';
import { detectionLine } from './labelling.js';
import { evaluation } from './entry-api.js';

const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();

/** {reviews, counts} for a state (pending|accepted|rejected|all) and an optional pipeline. */
export const listReviews = (state, pipeline) => consoleApi('GET', `/console/api/reviews?${qs({ state, pipeline })}`);

export const acceptReview = (id, line) => consoleApi('POST', `/console/api/reviews/${encodeURIComponent(id)}/accept`, { line });
export const rejectReview = (id) => consoleApi('POST', `/console/api/reviews/${encodeURIComponent(id)}/reject`, {});

export const sourceRef = (r) => `s3://${r.Bucket}/${r.Key}`;
export const imageUrl = (r) => s3path(r.Bucket, r.Key);

/** The model's labels for the image: [{label, confidence, left, top, width, height}] (ratios of the upright picture; boxes only). */
export function modelBoxes(answer) {
  return (answer?.CustomLabels || []).filter((l) => l.Geometry?.BoundingBox).map((l) => {
    const b = l.Geometry.BoundingBox;
    return { label: String(l.Name), confidence: Number(l.Confidence) || 0, left: b.Left, top: b.Top, width: b.Width, height: b.Height };
  });
}

/** DetectCustomLabels' answer beside the image (<Key>.json). */
export async function modelAnswer(r) {
  return (await s3get(r.Bucket, `${r.Key}.json`)).json();
}

/** The image's stored grid {width, height, orientation}: from the JPEG's bytes, else the decoded size. */
export async function imageInfo(r) {
  const res = await s3get(r.Bucket, r.Key);
  const info = jpegInfo(await res.arrayBuffer());
  if (info && info.width > 0 && info.height > 0) return info;
  const img = new Image();
  img.src = imageUrl(r);
  await img.decode();
  return { width: img.naturalWidth, height: img.naturalHeight, orientation: 1 };
}

/** The model's boxes as editable boxes in stored-grid pixels. */
export function storedModelBoxes(boxes, { width, height, orientation }) {
  return boxes.map((b) => ({
    label: b.label,
    ...roundBox(uprightRatioToStored(orientation, width, height, b), width, height),
  })).map(({ label, left, top, width: w, height: h }) => ({ label, left, top, width: w, height: h }));
}

/** The reviewer's boxes as the one Ground Truth line the accept takes. */
export function reviewLine(r, boxes, labels, { width, height }) {
  return detectionLine(JSON.stringify({ 'source-ref': sourceRef(r) }), boxes, labels, width, height);
}

/**
 * The model's project for the label list: {project: {arn, datasets: {train}}, modelLabels}, the
 * model's own label names from its evaluation (none when it has none).
 */
export async function reviewProject(modelArn) {
  const { project: name } = parseArn(modelArn);
  const d = (await rekognition('DescribeProjects', { ProjectNames: [name] })).ProjectDescriptions?.[0];
  if (!d) throw new Error(`The model's project ${name} no longer exists.`);
  const datasets = {};
  for (const ds of d.Datasets || []) if (ds.DatasetType === 'TRAIN') datasets.train = ds.DatasetArn;
  let modelLabels = [];
  try {
    modelLabels = ((await evaluation(modelArn)).labels || []).map((l) => String(l.label));
  } catch (_) { /* no evaluation: the label names come from the datasets and the answer */ }
  return { project: { arn: d.ProjectArn, datasets }, modelLabels };
}
