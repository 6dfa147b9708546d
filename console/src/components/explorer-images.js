import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { evaluationImages } from '../lib/entry-api.js';
import { fileNameOf } from '../lib/manifest.js';
import { ErrorText } from './error-text.js';
import { OutcomeImage, OutcomeLegend } from './outcome-image.js';
import { OutcomeLabels } from './outcome-labels.js';

const SHOWN = 48;

/**
 * The test images with truth and predicted boxes, worst first, filtered by label and by outcome.
 * A classifier's boxes each span the whole picture, so its images show labels as text instead.
 */
export function ExplorerImages({ versionArn, labels, classification = false }) {
  const [useAssumed, setUseAssumed] = useState(true);
  const [threshold, setThreshold] = useState(50);
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState('');
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(true);
  const [limit, setLimit] = useState(SHOWN);
  const [open, setOpen] = useState(null);
  const seq = useRef(0);
  const query = JSON.stringify({ minConfidence: useAssumed ? null : threshold, label, kind });

  useEffect(() => {
    const mine = ++seq.current;
    setBusy(true);
    const t = setTimeout(async () => {
      try {
        const r = await evaluationImages(versionArn, { minConfidence: useAssumed ? undefined : threshold, label, kind });
        // kept with the query it answers: the render after a filter changes still shows it
        if (mine === seq.current) { setData({ ...r, query }); setError(null); setLimit(SHOWN); }
      } catch (e) {
        if (mine === seq.current) setError(e);
      }
      if (mine === seq.current) setBusy(false);
    }, 100);
    return () => clearTimeout(t);
  }, [versionArn, useAssumed, threshold, label, kind]);

  useEffect(() => {
    if (!open) return undefined;
    document.body.classList.add('modal-open');
    const esc = (e) => { if (e.key === 'Escape') setOpen(null); };
    addEventListener('keydown', esc);
    return () => { document.body.classList.remove('modal-open'); removeEventListener('keydown', esc); };
  }, [open]);
  const images = data?.images || [];
  // Ready only when the images shown answer the filters shown (not in the render between a
  // filter's change and its request).
  const ready = !busy && data?.query === query;
  const opened = open && images.find((i) => i.ref === open);
  const picture = (img) => (classification ? { ...img, boxes: [] } : img);
  const what = classification ? 'labels' : 'boxes';
  return html`
    <section class="card" data-testid="explorer-images" data-state=${ready ? 'ready' : !busy && error ? 'error' : 'busy'} data-mode=${classification ? 'classification' : 'detection'}
      data-query=${query}>
      <h2>Test images</h2>
      <div class="filters">
        <label class="check"><input type="checkbox" checked=${useAssumed} data-testid="explorer-assumed"
          onChange=${(e) => setUseAssumed(e.currentTarget.checked)} /> At each label's assumed threshold</label>
        ${!useAssumed && html`<label>Threshold
          <span class="inline-range">
            <input type="range" min="0" max="100" step="0.1" value=${threshold} data-testid="explorer-threshold"
              onInput=${(e) => setThreshold(Number(e.currentTarget.value))} />
            <output>${threshold.toFixed(1)}%</output>
          </span></label>`}
        <label>Label
          <select value=${label} data-testid="explorer-label" onChange=${(e) => setLabel(e.currentTarget.value)}>
            <option value="">All labels</option>
            ${labels.map((l) => html`<option key=${l} value=${l}>${l}</option>`)}
          </select></label>
        <label>Outcome
          <select value=${kind} data-testid="explorer-kind" onChange=${(e) => setKind(e.currentTarget.value)}>
            <option value="">Any</option>
            <option value="tp">With true positives</option>
            <option value="fp">With false positives</option>
            <option value="fn">With missed ${what}</option>
          </select></label>
      </div>
      <p class="muted"><span data-testid="explorer-count">${images.length}</span> image${images.length === 1 ? '' : 's'}, worst first. <${OutcomeLegend} /></p>
      <${ErrorText} error=${error} testid="explorer-error" />
      <div class="gallery">
        ${images.slice(0, limit).map((img) => html`
          <figure key=${img.ref} class="gallery-item" data-testid="explorer-image" data-ref=${img.ref}
            data-fp=${img.falsePositives} data-fn=${img.falseNegatives}>
            <button type="button" class="thumb-open" data-testid="explorer-open" onClick=${() => setOpen(img.ref)}>
              <${OutcomeImage} datasetArn=${data.datasetArn} image=${picture(img)} />
            </button>
            <figcaption>
              <span class="file-name" title=${img.ref}>${fileNameOf(img.ref)}</span>
              <span class="chips">
                <span class="chip outcome-tp">${img.truePositives} TP</span>
                <span class="chip outcome-fp">${img.falsePositives} FP</span>
                <span class="chip outcome-fn">${img.falseNegatives} FN</span>
              </span>
              ${classification && html`<${OutcomeLabels} image=${img} />`}
            </figcaption>
          </figure>`)}
      </div>
      ${images.length > limit && html`<p><button type="button" data-testid="explorer-more" onClick=${() => setLimit((n) => n + SHOWN)}>
        Show ${Math.min(SHOWN, images.length - limit)} more</button></p>`}
      ${opened && html`
        <div class="lightbox" data-testid="explorer-lightbox" role="dialog" aria-label=${fileNameOf(opened.ref)}
          onClick=${(e) => { if (e.target === e.currentTarget) setOpen(null); }}>
          <div class="lightbox-body">
            <div class="lightbox-head">
              <strong class="file-name">${fileNameOf(opened.ref)}</strong>
              <span class="muted">${opened.truePositives} TP · ${opened.falsePositives} FP · ${opened.falseNegatives} FN</span>
              <span class="spacer"></span>
              <button type="button" data-testid="lightbox-close" onClick=${() => setOpen(null)}>Close</button>
            </div>
            ${classification && html`<p><${OutcomeLabels} image=${opened} /></p>`}
            <${OutcomeImage} datasetArn=${data.datasetArn} image=${picture(opened)} size=${1024} showTags=${!classification} />
          </div>
        </div>`}
    </section>`;
}
