import { html } from 'htm/preact';
import { s3get, s3list, s3path } from '../api.js';
import { useLoad } from '../lib/hooks.js';
import { fileNameOf } from '../lib/manifest.js';
import { BoxedImage } from './box-overlay.js';
import { ErrorText } from './error-text.js';

/** The newest results under the prefix, each drawn over its image. */
export function PipelineResults({ bucket, prefix, refresh, count = 6 }) {
  const { data, error } = useLoad(async () => {
    const objects = await s3list(bucket, prefix);
    const results = objects.filter((o) => o.key.endsWith('.json'))
      .sort((a, b) => b.lastModified - a.lastModified || b.key.localeCompare(a.key))
      .slice(0, count);
    return Promise.all(results.map(async (o) => {
      const imageKey = o.key.slice(0, -'.json'.length);
      try {
        const r = await (await s3get(bucket, o.key)).json();
        return { imageKey, labels: r.CustomLabels || [] };
      } catch (e) {
        return { imageKey, labels: [], error: e.message };
      }
    }));
  }, [bucket, prefix, refresh]);
  if (error) return html`<${ErrorText} error=${error} />`;
  if (!data) return null;
  if (!data.length) return html`<p class="muted" data-testid="no-results">No results yet: upload images under s3://${bucket}/${prefix}</p>`;
  return html`
    <div class="results" data-testid="pipeline-results">
      ${data.map((r) => {
        const boxes = r.labels.filter((l) => l.Geometry?.BoundingBox).map((l) => ({
          label: l.Name, confidence: l.Confidence, left: l.Geometry.BoundingBox.Left, top: l.Geometry.BoundingBox.Top,
          width: l.Geometry.BoundingBox.Width, height: l.Geometry.BoundingBox.Height,
        }));
        return html`
          <figure class="result" key=${r.imageKey} data-testid="pipeline-result" data-key=${r.imageKey}>
            <${BoxedImage} src=${s3path(bucket, r.imageKey)} alt=${fileNameOf(r.imageKey)} boxes=${boxes} showTags=${true} />
            <figcaption>
              <span class="file-name">${fileNameOf(r.imageKey)}</span>
              <span class="muted">${r.error || `${r.labels.length} label${r.labels.length === 1 ? '' : 's'}`}</span>
            </figcaption>
          </figure>`;
      })}
    </div>`;
}
