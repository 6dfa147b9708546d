import { html } from 'htm/preact';
import { consoleApi } from '../api.js';
import { useAction, useLoad } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';

export function DeadLetters({ name, refresh, onRedriven }) {
  const path = `/console/api/pipelines/${encodeURIComponent(name)}`;
  const { data, error } = useLoad(() => consoleApi('GET', `${path}/dead-letters`), [name, refresh]);
  const [redrive, busy, redriveError] = useAction(async () => {
    await consoleApi('POST', `${path}/redrive`);
    onRedriven();
  }, [path]);
  const list = data?.deadLetters || [];
  return html`
    <div class="dead-letters" data-testid="dead-letters">
      <${ErrorText} error=${error || redriveError} />
      ${list.length ? html`
        <table class="table compact">
          <thead><tr><th>Object</th><th>Attempts</th><th>Error</th></tr></thead>
          <tbody>${list.map((d, i) => html`
            <tr key=${i} data-testid="dead-letter"><td>${d.bucket}/${d.key}</td><td>${d.attempts}</td><td>${d.error}</td></tr>`)}</tbody>
        </table>
        <button type="button" disabled=${busy} data-testid="pipeline-redrive" onClick=${redrive}>Redrive ${list.length}</button>`
      : data && html`<p class="muted">No dead letters.</p>`}
    </div>`;
}
