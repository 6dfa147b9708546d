import { html } from 'htm/preact';
import { fileNameOf } from '../lib/manifest.js';
import { useLoad } from '../lib/hooks.js';
import { imageUrl, modelAnswer, modelBoxes } from '../lib/reviews.js';
import { dateTime } from '../lib/format.js';
import { BoxedImage } from './box-overlay.js';

/** One pending review: the image with the model's boxes (ratios of the upright picture, drawn over it as shown). */
export function ReviewCard({ review: r, onOpen }) {
  const { data: boxes, error } = useLoad(async () => modelBoxes(await modelAnswer(r)), [r.Id]);
  return html`
    <figure class="gallery-item review-card" data-testid="review-card" data-review=${r.Id} data-key=${r.Key}>
      <button type="button" class="thumb-open" data-testid="review-open" title="Review this image" onClick=${() => onOpen(r)}>
        <${BoxedImage} src=${imageUrl(r)} alt=${fileNameOf(r.Key)} boxes=${boxes || []} showTags=${!!boxes && boxes.length <= 6} />
      </button>
      <figcaption>
        <span class="file-name" title=${`s3://${r.Bucket}/${r.Key}`}>${fileNameOf(r.Key)}</span>
        <span><strong data-testid="review-best">${Number(r.BestConfidence).toFixed(1)}%</strong> best · ${r.Pipeline}</span>
        <span class="muted">${error ? `No answer: ${error.message}` : `${boxes ? `${boxes.length} box${boxes.length === 1 ? '' : 'es'} · ` : ''}${dateTime(r.CreationTimestamp)}`}</span>
      </figcaption>
    </figure>`;
}
