import { html } from 'htm/preact';
import { annotationsOf, fileNameOf } from '../lib/manifest.js';
import { BoxedImage, colorOf } from './box-overlay.js';

export function thumbnailUrl(datasetArn, ref, size = 256) {
  return `/console/api/thumbnail?${new URLSearchParams({ dataset: datasetArn, ref, size: String(size) })}`;
}

export function GalleryItem({ datasetArn, entry, labels }) {
  const ref = entry['source-ref'] || '';
  const { boxes, labels: own } = annotationsOf(entry);
  return html`
    <figure class="gallery-item" data-testid="gallery-item" data-ref=${ref}>
      <${BoxedImage} src=${thumbnailUrl(datasetArn, ref)} alt=${fileNameOf(ref)} boxes=${boxes} labels=${labels} />
      <figcaption>
        <span class="file-name" title=${ref}>${fileNameOf(ref)}</span>
        <span class="chips">
          ${own.length ? own.map((l) => html`<span key=${l} class="chip" data-testid="entry-label">
              <i class="swatch" style=${{ backgroundColor: colorOf(l, labels) }}></i>${l}</span>`)
            : html`<span class="chip muted">unlabelled</span>`}
        </span>
      </figcaption>
    </figure>`;
}
