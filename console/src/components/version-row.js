import { html } from 'htm/preact';
import { href } from '../lib/router.js';
import { fixed, dateTime } from '../lib/format.js';
import { StatusBadge } from './status-badge.js';

export function VersionRow({ project, version }) {
  const f1 = version.EvaluationResult?.F1Score;
  return html`
    <tr data-testid="version-row" data-version=${version.name}>
      <td><a href=${href('projects', project, 'models', version.name)} data-testid="version-link">${version.name}</a></td>
      <td><${StatusBadge} status=${version.Status} testid="version-status" /></td>
      <td data-testid="version-f1">${f1 === undefined ? '—' : fixed(f1)}</td>
      <td class="muted">${dateTime(version.CreationTimestamp)}</td>
    </tr>`;
}
