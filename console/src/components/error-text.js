import { html } from 'htm/preact';

/** The server's message, as text. */
export function ErrorText({ error, testid = 'error' }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message || String(error);
  return html`<p class="error" role="alert" data-testid=${testid}>${message}</p>`;
}
