import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { parseLine } from '../lib/manifest.js';
import { useLoad } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';
import { GalleryItem } from './gallery-item.js';
import { Pager } from './pager.js';

const PAGE = 50;

/** One page of ListDatasetEntries at a time, with a stack of NextTokens for Previous. */
export function Gallery({ datasetArn, filters, labels, refresh }) {
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
  }, [datasetArn, filterKey, token, refresh]);

  return html`
    <section class="gallery-section" data-testid="gallery" data-loading=${loading ? 'yes' : 'no'}>
      <${ErrorText} error=${error} />
      ${data && !data.entries.length && html`<p class="empty" data-testid="gallery-empty">No images match.</p>`}
      <div class="gallery">
        ${data && data.entries.map((e, i) => html`<${GalleryItem} key=${e['source-ref'] || i} datasetArn=${datasetArn} entry=${e} labels=${labels} />`)}
      </div>
      <${Pager} page=${tokens.length} busy=${loading}
        hasPrevious=${tokens.length > 1} hasNext=${!!data?.next}
        onPrevious=${() => setTokens((t) => t.slice(0, -1))}
        onNext=${() => data?.next && setTokens((t) => [...t, data.next])} />
    </section>`;
}
