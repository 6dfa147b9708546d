import { html } from 'htm/preact';

export function Pager({ page, hasPrevious, hasNext, onPrevious, onNext, busy }) {
  return html`
    <div class="pager" data-testid="pager">
      <button type="button" disabled=${!hasPrevious || busy} data-testid="page-previous" onClick=${onPrevious}>← Previous</button>
      <span class="muted" data-testid="page-number">Page ${page}</span>
      <button type="button" disabled=${!hasNext || busy} data-testid="page-next" onClick=${onNext}>Next →</button>
    </div>`;
}
