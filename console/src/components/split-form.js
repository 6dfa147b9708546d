import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi } from '../api.js';
import { useAction } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';

/** Moves 20% of all images into the test set (POST /console/api/split). */
export function SplitForm({ projectArn, onSplit }) {
  const [seed, setSeed] = useState('1');
  const [result, setResult] = useState(null);
  const [split, busy, error] = useAction(async () => {
    const r = await consoleApi('POST', '/console/api/split', { projectArn, testPercent: 20, seed: Number(seed) || 0 });
    setResult(r);
    onSplit();
  }, [projectArn, seed]);
  return html`
    <section class="card" data-testid="split">
      <h3>Split training / test</h3>
      <p class="muted">Puts all images together, then keeps 80% for training and 20% for testing.</p>
      <form class="row" onSubmit=${(e) => { e.preventDefault(); split(); }}>
        <label>Seed <input type="number" min="0" step="1" value=${seed} data-testid="split-seed"
          onInput=${(e) => setSeed(e.currentTarget.value)} /></label>
        <button type="submit" disabled=${busy || !projectArn} data-testid="split-submit">Split 80/20</button>
      </form>
      ${result && html`<p class="ok" data-testid="split-result">Training: ${result.train} images, test: ${result.test} images.</p>`}
      <${ErrorText} error=${error} testid="split-error" />
    </section>`;
}
