import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { loadVersions } from '../lib/projects.js';
import { useLoad } from '../lib/hooks.js';
import { href } from '../lib/router.js';

const TRAINED = new Set(['TRAINING_COMPLETED', 'RUNNING', 'STARTING', 'STOPPED', 'STOPPING']);

/** Two trained versions to compare; `versions` may be given, else loaded. */
export function VersionPicker({ project, projectArn, versions, v1, v2 }) {
  const { data } = useLoad(async () => versions || loadVersions(projectArn), [projectArn, versions]);
  const list = (data || []).filter((v) => TRAINED.has(v.Status));
  const [a, setA] = useState(v1 || '');
  const [b, setB] = useState(v2 || '');
  if (list.length < 2) return null;
  const first = a || list[1]?.name || '';
  const second = b || list[0]?.name || '';
  return html`
    <form class="inline-form compare-form" data-testid="compare-form"
      onSubmit=${(e) => { e.preventDefault(); location.hash = href('projects', project, 'compare', first, second); }}>
      <label>Compare
        <select value=${first} data-testid="compare-v1" onChange=${(e) => setA(e.currentTarget.value)}>
          ${list.map((v) => html`<option key=${v.name} value=${v.name}>${v.name}</option>`)}
        </select></label>
      <label>with
        <select value=${second} data-testid="compare-v2" onChange=${(e) => setB(e.currentTarget.value)}>
          ${list.map((v) => html`<option key=${v.name} value=${v.name}>${v.name}</option>`)}
        </select></label>
      <button type="submit" disabled=${first === second} data-testid="compare-go">Compare</button>
    </form>`;
}
