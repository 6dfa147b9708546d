import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { evaluationAt } from '../lib/entry-api.js';
import { fixed } from '../lib/format.js';
import { ErrorText } from './error-text.js';

/**
 * One label's threshold: P/R/F1 as the server computes them from the stored predictions at the
 * slider's value (asked ~100 ms after the slider stops). The assumed threshold is marked.
 */
export function ThresholdSlider({ versionArn, label, assumed }) {
  const start = Math.round((assumed?.threshold ?? 0.5) * 1000) / 10;
  const [value, setValue] = useState(start);
  const [row, setRow] = useState(assumed ? { ...assumed, at: start } : null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) { first.current = false; return undefined; }
    const mine = ++seq.current;
    setBusy(true);
    const t = setTimeout(async () => {
      try {
        const r = await evaluationAt(versionArn, value);
        if (mine !== seq.current) return;
        const l = (r.labels || []).find((x) => x.label === label);
        setRow(l ? { ...l.assumed, at: value } : null);
        setError(l ? null : `The server has no numbers for ${label}.`);
      } catch (e) {
        if (mine === seq.current) setError(e);
      }
      if (mine === seq.current) setBusy(false);
    }, 100);
    return () => clearTimeout(t);
  }, [value, versionArn, label]);

  // the range's thumb (16 px) travels between 8 px from either end
  const mark = assumed ? `calc(8px + (100% - 16px) * ${Number(assumed.threshold).toFixed(5)})` : null;
  return html`
    <div class="threshold" data-testid="threshold" data-label=${label}
      data-state=${busy ? 'busy' : 'ready'} data-at=${row ? String(row.at) : ''}>
      <div class="threshold-head">
        <strong class="threshold-label">${label}</strong>
        <output data-testid="threshold-value">${value.toFixed(1)}%</output>
        ${assumed && html`<button type="button" class="small" data-testid="threshold-reset"
          onClick=${() => setValue(start)} title="Back to the assumed threshold">assumed ${(assumed.threshold * 100).toFixed(1)}%</button>`}
      </div>
      <div class="threshold-track">
        <input type="range" min="0" max="100" step="0.1" value=${value} data-testid="threshold-slider"
          aria-label=${`Threshold of ${label}`} onInput=${(e) => setValue(Number(e.currentTarget.value))} />
        ${mark && html`<span class="assumed-mark" style=${{ left: mark }} title=${`assumed threshold ${(assumed.threshold * 100).toFixed(1)}%`}
          data-testid="assumed-mark"></span>`}
      </div>
      <dl class="metrics">
        <div><dt>Precision</dt><dd data-testid="at-precision">${fixed(row?.precision)}</dd></div>
        <div><dt>Recall</dt><dd data-testid="at-recall">${fixed(row?.recall)}</dd></div>
        <div><dt>F1</dt><dd data-testid="at-f1">${fixed(row?.f1)}</dd></div>
        <div><dt>TP</dt><dd data-testid="at-tp">${row?.true_positives ?? '—'}</dd></div>
        <div><dt>FP</dt><dd data-testid="at-fp">${row?.false_positives ?? '—'}</dd></div>
        <div><dt>FN</dt><dd data-testid="at-fn">${row?.false_negatives ?? '—'}</dd></div>
      </dl>
      <${ErrorText} error=${error} testid="threshold-error" />
    </div>`;
}
