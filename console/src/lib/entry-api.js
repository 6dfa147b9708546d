// The console endpoints of labelling and the evaluation explorer (console/README.md, issue 12).
import { consoleApi } from '../api.js';

const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();

/** {line, version, width, height, orientation} of one entry. */
export const getEntry = (datasetArn, ref) => consoleApi('GET', `/console/api/entry?${qs({ dataset: datasetArn, ref })}`);

/** {pictures: {ref: {width, height, orientation}}} of up to 100 entries at once (gone ones left out). */
export const entryPictures = (datasetArn, refs) => consoleApi('POST', '/console/api/entries/pictures', { datasetArn, refs });

/** Saves one line against the version read; a changed entry throws with status 409. */
export const saveEntry = (datasetArn, line, version) => consoleApi('POST', '/console/api/entry', { datasetArn, line, version });

export const renameLabel = (projectArn, from, to) => consoleApi('POST', '/console/api/labels/rename', { projectArn, from, to });
export const deleteLabel = (projectArn, label) => consoleApi('POST', '/console/api/labels/delete', { projectArn, label });

/** DetectCustomLabels (MinConfidence 0) on a stored image; ratios of the upright picture. */
export const detectEntry = (datasetArn, ref, projectVersionArn) => consoleApi('POST', '/console/api/detect-entry', { datasetArn, ref, projectVersionArn });

export const evaluation = (projectVersionArn) => consoleApi('GET', `/console/api/evaluation?${qs({ projectVersionArn })}`);

/** P/R/F1 per label at minConfidence (undefined: each label's assumed threshold). */
export const evaluationAt = (projectVersionArn, minConfidence) =>
  consoleApi('GET', `/console/api/evaluation/at?${qs({ projectVersionArn, minConfidence })}`);

/** The test images with TP/FP/FN boxes, worst first. */
export const evaluationImages = (projectVersionArn, { minConfidence, label, kind } = {}) =>
  consoleApi('GET', `/console/api/evaluation/images?${qs({ projectVersionArn, minConfidence, label, kind })}`);

/** Runs fn over items, `parallel` at a time; answers the results in order (errors as {error}). */
export async function pool(items, parallel, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (error) {
        out[i] = { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return out;
}
