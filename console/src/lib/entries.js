import { rekognition, ensureBucket } from '../api.js';
import { textToBase64 } from './base64.js';
import { chunkLines } from './manifest.js';

export const CONSOLE_BUCKET = 'apiary-console';
export { ensureBucket };

/** Sends manifest lines with UpdateDatasetEntries (in chunks under the 5 MB request limit). */
export async function updateEntries(datasetArn, lines) {
  for (const chunk of chunkLines(lines)) {
    await rekognition('UpdateDatasetEntries', {
      DatasetArn: datasetArn,
      Changes: { GroundTruth: textToBase64(chunk.join('\n') + '\n') },
    });
  }
}
