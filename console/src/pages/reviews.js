import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { consoleApi } from '../api.js';
import { usePoll } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { listReviews } from '../lib/reviews.js';
import { ErrorText } from '../components/error-text.js';
import { ReviewCard } from '../components/review-card.js';
import { ReviewEditor } from '../components/review-editor.js';
import { ReviewHistory } from '../components/review-history.js';

const TABS = [['pending', 'Pending'], ['accepted', 'Accepted'], ['rejected', 'Rejected']];
const SHOWN = 48;

/** The review loop: pipeline results in a review band, newest first; open one to correct and accept, or reject. */
export function ReviewsPage({ pipeline = '' }) {
  const [state, setState] = useState('pending');
  const [data, setData] = useState(null);
  const [pipelines, setPipelines] = useState([]);
  const [error, setError] = useState(null);
  const [open, setOpen] = useState(null); // the review in the editor
  const [note, setNote] = useState('');
  const [tick, setTick] = useState(0);
  const order = useRef([]); // the pending list as the editor was opened over it

  usePoll(async () => {
    try {
      const [r, p] = await Promise.all([listReviews(state, pipeline), consoleApi('GET', '/console/api/pipelines')]);
      setData({ ...r, state, pipeline });
      setPipelines((p.pipelines || []).map((x) => x.name));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, 3000, [state, pipeline, tick]);

  const current = data && data.state === state && data.pipeline === pipeline ? data : null;
  const list = current?.reviews || [];
  const counts = data?.counts || {};
  const openOne = (r) => {
    order.current = (state === 'pending' ? list : []).map((x) => x.Id);
    setNote('');
    setOpen(r);
  };
  // After a decision: the next pending one after it in the list it was opened from, else the newest left.
  const decided = async (r, action) => {
    setNote(`${action === 'accepted' ? 'Accepted' : 'Rejected'} ${r.Key}.`);
    let fresh = [];
    try {
      fresh = (await listReviews('pending', pipeline)).reviews || [];
    } catch (e) {
      setError(e);
    }
    const ids = order.current;
    const at = ids.indexOf(r.Id);
    const after = [...ids.slice(at + 1), ...ids.slice(0, Math.max(0, at))];
    const next = after.map((id) => fresh.find((x) => x.Id === id)).find(Boolean) || fresh[0] || null;
    order.current = fresh.map((x) => x.Id);
    setOpen(next);
    if (!next) setNote((n) => `${n} No more pending reviews.`);
    setTick((t) => t + 1);
  };
  const position = open ? Math.max(1, order.current.indexOf(open.Id) + 1) : 0;

  return html`
    <div class="page" data-testid="reviews-page">
      <div class="page-head">
        <h1>Reviews</h1>
        <span class="spacer"></span>
        <label class="inline-field">Pipeline
          <select value=${pipeline} data-testid="reviews-pipeline"
            onChange=${(e) => { location.hash = e.currentTarget.value ? href('reviews', e.currentTarget.value) : '#/reviews'; }}>
            <option value="">All pipelines</option>
            ${[...new Set([...pipelines, ...(pipeline ? [pipeline] : [])])].map((n) => html`<option key=${n} value=${n}>${n}</option>`)}
          </select>
        </label>
      </div>
      <p class="muted">Images whose best confidence falls in their pipeline's review band wait here. Accepting one adds it, with your corrected boxes, to the training set of the model's project.</p>
      <nav class="tabs" data-testid="review-tabs">
        ${TABS.map(([k, label]) => html`
          <a key=${k} href="#" class=${k === state ? 'active' : ''} data-testid=${`reviews-tab-${k}`}
            onClick=${(e) => { e.preventDefault(); setNote(''); setState(k); }}>${label} (<span data-testid=${`reviews-count-${k}`}>${counts[k] ?? 0}</span>)</a>`)}
      </nav>
      <p class="muted small-print" data-testid="reviews-note" role="status">${note}</p>
      <${ErrorText} error=${error} />
      ${current && state === 'pending' && (list.length
        ? html`<div class="gallery reviews" data-testid="review-list">
            ${list.slice(0, SHOWN).map((r) => html`<${ReviewCard} key=${r.Id} review=${r} onOpen=${openOne} />`)}
          </div>
          ${list.length > SHOWN && html`<p class="muted">The newest ${SHOWN} of ${list.length} are shown; decide these to see more.</p>`}`
        : html`<p class="empty" data-testid="no-reviews">Nothing to review${pipeline ? ` for ${pipeline}` : ''}. Give a pipeline a review band to send results here.</p>`)}
      ${current && state !== 'pending' && html`<${ReviewHistory} reviews=${list} />`}
      ${open && html`<${ReviewEditor} key=${open.Id} review=${open} position=${position} total=${order.current.length || 1}
        onDecided=${decided} onClose=${() => { setOpen(null); setTick((t) => t + 1); }} />`}
    </div>`;
}
