import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { typing, useBoxEditing } from '../lib/box-editing.js';
import { roundBox } from '../lib/orientation.js';
import { fileNameOf } from '../lib/manifest.js';
import { useProjectLabels } from '../lib/project-labels.js';
import { acceptReview, imageInfo, imageUrl, modelAnswer, modelBoxes, rejectReview, reviewLine, reviewProject,
  storedModelBoxes } from '../lib/reviews.js';
import { parseArn } from '../lib/arn.js';
import { dateTime } from '../lib/format.js';
import { EditorTools } from './editor-tools.js';
import { EditorSurface } from './editor-surface.js';
import { EditorBoxList } from './editor-box-list.js';
import { LabelList } from './label-list.js';
import { ErrorText } from './error-text.js';

/** Labels in the project's order, then the model's and the answer's that the project lacks. */
function withExtra(labels, extra) {
  const out = [...labels];
  for (const l of extra) if (l && !out.includes(l)) out.push(l);
  return out;
}

/**
 * One pending review in the box editor: the model's boxes as editable boxes (stored-grid
 * pixels of the S3 image), the labels of the model's project; Accept writes the boxes to the
 * project's TRAIN dataset, Reject drops the image. onDecided(review, 'accepted'|'rejected').
 */
export function ReviewEditor({ review, position, total, onDecided, onClose }) {
  const [loaded, setLoaded] = useState(null); // {image, answer, project, modelLabels}
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState('');
  const projectLabels = useProjectLabels(loaded?.project, 0);
  const extra = loaded ? [...loaded.modelLabels, ...loaded.boxes.map((b) => b.label)] : [];
  const labels = withExtra(projectLabels.labels, extra);
  const ed = useBoxEditing(labels);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setError(null);
    (async () => {
      const [info, answer, proj] = await Promise.all([imageInfo(review), modelAnswer(review), reviewProject(review.Model)]);
      const boxes = modelBoxes(answer);
      if (!live) return;
      ed.reset({ boxes: storedModelBoxes(boxes, info) });
      setLoaded({ image: { ...info, src: imageUrl(review) }, boxes, answer, ...proj });
    })().catch((e) => live && setError(e));
    return () => { live = false; };
  }, [review.Id]);

  const image = loaded?.image;
  const fit = (b) => roundBox(b, image.width, image.height);
  const draw = (b) => {
    if (!ed.label) {
      setError('Add a label first: type its name under Labels.');
      return;
    }
    setError(null);
    ed.addBox({ ...fit(b), label: ed.label });
  };

  const decide = async (action) => {
    if (!loaded || busy) return;
    setBusy(action);
    setError(null);
    try {
      if (action === 'accepted') await acceptReview(review.Id, reviewLine(review, ed.boxes, labels, image));
      else await rejectReview(review.Id);
      onDecided(review, action);
    } catch (e) {
      setError(e);
      setBusy('');
    }
  };

  const keys = useRef(null);
  keys.current = (e) => {
    if (typing(e.target)) return;
    if (ed.handleKey(e)) return;
    if (e.key === 'Escape') {
      if (ed.selected >= 0) ed.setSelected(-1);
      else onClose();
    }
  };
  useEffect(() => {
    document.body.classList.add('modal-open');
    const on = (e) => keys.current(e);
    addEventListener('keydown', on);
    return () => {
      document.body.classList.remove('modal-open');
      removeEventListener('keydown', on);
    };
  }, []);

  const model = parseArn(review.Model);
  const others = (loaded?.answer?.CustomLabels || []).filter((l) => !l.Geometry?.BoundingBox);
  return html`
    <div class="editor review-editor" data-testid="review-editor" data-review=${review.Id}
      data-state=${!loaded ? 'loading' : busy ? 'saving' : 'ready'} role="dialog" aria-label="Review the model's answer">
      <div class="editor-bar">
        <span class="muted" data-testid="review-position">${position} / ${total}</span>
        <span class="file-name editor-name" title=${review.Key}>${fileNameOf(review.Key)}</span>
        <span class="spacer"></span>
        <${EditorTools} ed=${ed} />
        <button type="button" class="primary" disabled=${!loaded || !!busy} data-testid="review-accept"
          onClick=${() => decide('accepted')}>${busy === 'accepted' ? 'Accepting…' : 'Accept'}</button>
        <button type="button" class="danger" disabled=${!loaded || !!busy} data-testid="review-reject"
          onClick=${() => decide('rejected')}>${busy === 'rejected' ? 'Rejecting…' : 'Reject'}</button>
        <button type="button" data-testid="review-close" onClick=${onClose} title="Esc">Close</button>
      </div>
      <${ErrorText} error=${error} testid="review-error" />
      <${ErrorText} error=${projectLabels.error} />
      <div class="editor-body">
        <${EditorSurface} ed=${ed} image=${image} labels=${labels} onDraw=${draw}
          onChange=${(i, b) => ed.setBoxes((list) => list.map((x, j) => (j === i ? fit(b) : x)))}
          placeholder=${!error && html`<p class="muted">Loading…</p>`} />
        <aside class="editor-side">
          <dl class="review-facts">
            <dt>Best confidence</dt><dd data-testid="review-confidence">${Number(review.BestConfidence).toFixed(1)}%</dd>
            <dt>Pipeline</dt><dd>${review.Pipeline}</dd>
            <dt>Model</dt><dd>${model.project ? `${model.project}/${model.name}` : review.Model}</dd>
            <dt>Image</dt><dd class="file-name">s3://${review.Bucket}/${review.Key}</dd>
            <dt>Answered</dt><dd>${dateTime(review.CreationTimestamp)}</dd>
          </dl>
          <p class="muted small-print">Correct the model's boxes, then Accept: the image and your boxes join the training set of ${model.project || 'the model\'s project'}.</p>
          <${LabelList} labels=${labels} current=${ed.label} onPick=${ed.pickLabel} onAdd=${projectLabels.add} />
          <${EditorBoxList} ed=${ed} labels=${labels} />
          ${others.length > 0 && html`<section>
            <h3>Image labels</h3>
            <ul class="plain">${others.map((l) => html`<li key=${l.Name}>${l.Name} ${Number(l.Confidence).toFixed(1)}%</li>`)}</ul>
          </section>`}
          <details class="key-help">
            <summary>Keys</summary>
            <ul class="plain">
              <li>1–9 label · D draw · V select · Delete removes the box</li>
              <li>Drag a box to move it, a corner to resize it; Shift+drag draws inside a box</li>
              <li>Ctrl+Z undo · Ctrl+Shift+Z / Ctrl+Y redo · + − zoom · Esc close</li>
            </ul>
          </details>
        </aside>
      </div>
    </div>`;
}
