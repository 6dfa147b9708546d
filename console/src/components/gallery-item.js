import { html } from 'htm/preact';
import { annotationsOf, fileNameOf } from '../lib/manifest.js';
import { storedBoxesOf } from '../lib/labelling.js';
import { storedToUprightRatio } from '../lib/orientation.js';
import { BoxedImage, colorOf } from './box-overlay.js';

export function thumbnailUrl(datasetArn, ref, size = 256) {
  return `/console/api/thumbnail?${new URLSearchParams({ dataset: datasetArn, ref, size: String(size) })}`;
}

/**
 * One image of the gallery. `info` ({width, height, orientation}) is known once the editor or
 * the pre-labelling read the entry; until then boxes are drawn as ratios of the stored grid.
 */
export function GalleryItem({ datasetArn, entry, labels, info, suggestions, selected, onOpen, onToggle }) {
  const ref = entry['source-ref'] || '';
  const { boxes: ratioBoxes, labels: own } = annotationsOf(entry);
  const up = (b) => storedToUprightRatio(info.orientation, info.width, info.height, b);
  const boxes = info ? storedBoxesOf(entry).map(up) : ratioBoxes;
  const hints = info && suggestions ? suggestions.map(up) : [];
  return html`
    <figure class=${selected ? 'gallery-item selected' : 'gallery-item'} data-testid="gallery-item" data-ref=${ref}
      data-selected=${selected ? 'yes' : 'no'}>
      <div class="gallery-thumb">
        <button type="button" class="thumb-open" data-testid="gallery-open" title="Open in the editor" onClick=${onOpen}>
          <${BoxedImage} src=${thumbnailUrl(datasetArn, ref)} alt=${fileNameOf(ref)} boxes=${boxes} labels=${labels}
            suggestions=${hints} />
        </button>
        <label class="select-box" title="Select (Shift: a range)">
          <input type="checkbox" checked=${!!selected} data-testid="gallery-select" aria-label=${`Select ${fileNameOf(ref)}`}
            onClick=${(e) => onToggle(e.shiftKey)} />
        </label>
      </div>
      <figcaption>
        <span class="file-name" title=${ref}>${fileNameOf(ref)}</span>
        <span class="chips">
          ${own.length ? own.map((l) => html`<span key=${l} class="chip" data-testid="entry-label">
              <i class="swatch" style=${{ backgroundColor: colorOf(l, labels) }}></i>${l}</span>`)
            : html`<span class="chip muted">unlabelled</span>`}
          ${hints.length > 0 && html`<span class="chip suggested" data-testid="suggestion-count">${hints.length} suggested</span>`}
        </span>
      </figcaption>
    </figure>`;
}
