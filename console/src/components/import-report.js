import { html } from 'htm/preact';
import { consoleApi } from '../api.js';
import { useLoad } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';

/** The last import's rejected lines: file, line and reason. */
export function ImportReport({ datasetArn, refresh }) {
  const { data, error } = useLoad(
    () => consoleApi('GET', `/console/api/import-report?${new URLSearchParams({ dataset: datasetArn })}`),
    [datasetArn, refresh]);
  if (error) return html`<${ErrorText} error=${error} />`;
  if (!data || (!data.time && !(data.issues || []).length)) return null;
  const issues = data.issues || [];
  return html`
    <section class="card" data-testid="import-report">
      <h3>Last import</h3>
      <p>
        ${data.source && html`<span class="muted">${data.source}</span> · `}
        <strong data-testid="import-accepted">${data.accepted ?? 0}</strong>${' accepted, '}<strong data-testid="import-rejected">${data.rejected ?? 0}</strong>${' rejected'}
      </p>
      ${issues.length > 0 && html`
        <div class="scroll">
          <table class="table compact" data-testid="import-issues">
            <thead><tr><th>File</th><th>Line</th><th>Field</th><th>Reason</th></tr></thead>
            <tbody>${issues.map((i, k) => html`
              <tr key=${k} data-testid="import-issue">
                <td>${i.file}</td><td>${i.line}</td><td>${i.field}</td>
                <td>${i.message}${i.code ? html` <span class="muted">(${i.code})</span>` : null}</td>
              </tr>`)}</tbody>
          </table>
        </div>`}
    </section>`;
}
