import { html } from 'htm/preact';
import { fixed, percent } from '../lib/format.js';
import { classificationOf } from '../lib/classification.js';
import { ErrorText } from './error-text.js';
import { PrCurve } from './pr-curve.js';
import { ConfusionMatrix } from './confusion-matrix.js';
import { EvaluationExplorer } from './evaluation-explorer.js';

/** The model's evaluation.json (loaded by the model page): `evaluation` = {data, error}. */
export function EvaluationSummary({ versionArn, evaluation }) {
  const { data, error } = evaluation || {};
  if (error) return html`<section class="card"><h2>Evaluation</h2><${ErrorText} error=${error} testid="evaluation-error" /></section>`;
  if (!data) return html`<section class="card"><h2>Evaluation</h2><p class="muted">Loading…</p></section>`;
  const labels = data.labels || [];
  const names = labels.map((l) => l.label);
  const o = data.overall || {};
  const cls = classificationOf(data);
  return html`
    <section class="card" data-testid="evaluation" data-task=${cls ? cls.task : 'object-detection'}>
      <h2>Evaluation on the test set</h2>
      <div class="stat-row">
        ${cls && html`
          <div class="stat"><strong data-testid="eval-accuracy">${percent(cls.accuracy)}</strong><span>${cls.multiLabel ? 'exact-match accuracy' : 'accuracy'}</span></div>
          <div class="stat"><strong data-testid="eval-macro-f1">${fixed(cls.macroF1)}</strong><span>macro F1</span></div>`}
        <div class="stat"><strong data-testid="eval-f1">${fixed(o.f1)}</strong><span>${cls ? 'micro F1' : 'F1'}</span></div>
        <div class="stat"><strong>${fixed(o.precision)}</strong><span>precision</span></div>
        <div class="stat"><strong>${fixed(o.recall)}</strong><span>recall</span></div>
        <div class="stat"><strong data-testid="eval-ap50">${fixed(o.ap50)}</strong><span>${cls ? 'mean AP' : 'AP50'}</span></div>
        ${cls?.images !== undefined && html`<div class="stat"><strong data-testid="eval-images">${cls.images}</strong><span>test images</span></div>`}
      </div>
      <table class="table" data-testid="evaluation-labels">
        <thead><tr><th>Label</th><th>F1</th><th>Precision</th><th>Recall</th><th>Assumed threshold</th><th>${cls ? 'AP' : 'AP50'}</th><th>Test images</th></tr></thead>
        <tbody>${labels.map((l) => html`
          <tr key=${l.label} data-testid="evaluation-row">
            <td>${l.label}</td>
            <td>${fixed(l.assumed?.f1)}</td>
            <td>${fixed(l.assumed?.precision)}</td>
            <td>${fixed(l.assumed?.recall)}</td>
            <td data-testid="eval-threshold">${percent(l.assumed?.threshold)}</td>
            <td>${fixed(l.ap50)}</td>
            <td>${l.test_images ?? '—'}</td>
          </tr>`)}
          <tr class="total"><td>Overall</td><td>${fixed(o.f1)}</td><td>${fixed(o.precision)}</td><td>${fixed(o.recall)}</td><td></td><td>${fixed(o.ap50)}</td><td></td></tr>
        </tbody>
      </table>
      ${cls?.matrix && html`<${ConfusionMatrix} matrix=${cls.matrix} />`}
      ${cls?.multiLabel && html`<p class="muted">A multi-label model has no confusion matrix: each label is judged on its own, above.</p>`}
      <div class="curves">
        ${labels.map((l) => html`<${PrCurve} key=${l.label} label=${l.label} points=${l.pr_curve?.points} assumed=${l.assumed} labels=${names} />`)}
      </div>
    </section>
    <${EvaluationExplorer} versionArn=${versionArn} evaluation=${data} classification=${cls} />`;
}
