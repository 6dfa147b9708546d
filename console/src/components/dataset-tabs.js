import { html } from 'htm/preact';
import { href } from '../lib/router.js';

export function DatasetTabs({ project, type }) {
  return html`
    <nav class="tabs" data-testid="dataset-tabs">
      ${['train', 'test'].map((t) => html`
        <a key=${t} href=${href('projects', project, 'dataset', t)} class=${t === type ? 'active' : ''}
          data-testid=${`tab-${t}`}>${t === 'train' ? 'Training set' : 'Test set'}</a>`)}
    </nav>`;
}
