import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { parseLine } from '../lib/manifest.js';
import { useLoad } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';
import { GalleryItem } from './gallery-item.js';
import { Pager } from './pager.js';

const PAGE = 50;

/**
 * One page of ListDatasetEntries at a time, with a stack of NextTokens for Previous.
 * `overrides` (ref → line) are lines saved since the page was read; `onPage(entries)` tells the
 * dataset page which images are shown (the editor walks them; selection ranges use their order);
 * onOpen(i, refs) and onToggle(i, shift, refs) name the refs of the page that was clicked.
 */
export function Gallery({ datasetArn, filters, labels, refresh, reload = 0, overrides = {}, infos = {}, suggestions = {},
  selection, onToggle, onOpen, onPage }) {
  const [tokens, setTokens] = useState([null]); // tokens[i] starts page i
  const filterKey = JSON.stringify(filters);
  useEffect(() => setTokens([null]), [filterKey, datasetArn, refresh]);
  const token = tokens[tokens.length - 1];

  const { data, error, loading } = useLoad(async () => {
    const body = { DatasetArn: datasetArn, MaxResults: PAGE };
    if (filters.label) body.ContainsLabels = [filters.label];
    if (filters.labeled === 'yes') body.Labeled = true;
    if (filters.labeled === 'no') body.Labeled = false;
    if (filters.errors) body.HasErrors = true;
    if (token) body.NextToken = token;
    const r = await rekognition('ListDatasetEntries', body);
    return { entries: (r.DatasetEntries || []).map(parseLine).filter(Boolean), next: r.NextToken || null };
  }, [datasetArn, filterKey, token, refresh, reload]);

  const entries = (data?.entries || []).map((e) => {
    const o = overrides[e['source-ref']];
    return o ? parseLine(o) || e : e;
  });
  useEffect(() => {
    if (data && onPage) onPage(entries);
  }, [data, overrides]);
  // Clicks hand over the refs shown: onPage's effect runs after the first paint, and a click in
  // between must not act on the previous page (or on none).
  const shown = entries.map((e) => e['source-ref'] || '');

  return html`
    <section class="gallery-section" data-testid="gallery" data-loading=${loading ? 'yes' : 'no'}>
      <${ErrorText} error=${error} />
      ${data && !entries.length && html`<p class="empty" data-testid="gallery-empty">No images match.</p>`}
      <div class="gallery">
        ${entries.map((e, i) => {
          const ref = e['source-ref'] || '';
          return html`<${GalleryItem} key=${ref || i} datasetArn=${datasetArn} entry=${e} labels=${labels}
            info=${infos[ref]} suggestions=${suggestions[ref]} selected=${selection && selection.has(ref)}
            onOpen=${() => onOpen && onOpen(i, shown)} onToggle=${(shift) => onToggle && onToggle(i, shift, shown)} />`;
        })}
      </div>
      <${Pager} page=${tokens.length} busy=${loading}
        hasPrevious=${tokens.length > 1} hasNext=${!!data?.next}
        onPrevious=${() => setTokens((t) => t.slice(0, -1))}
        onNext=${() => data?.next && setTokens((t) => [...t, data.next])} />
    </section>`;
}
