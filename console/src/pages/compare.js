import { html } from 'htm/preact';
import { loadProject, loadVersions } from '../lib/projects.js';
import { evaluation, evaluationAt, evaluationImages } from '../lib/entry-api.js';
import { disagreements } from '../lib/compare.js';
import { fixed, percent } from '../lib/format.js';
import { fileNameOf } from '../lib/manifest.js';
import { useLoad } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { ErrorText } from '../components/error-text.js';
import { PrOverlay, VERSION_COLORS } from '../components/pr-overlay.js';
import { OutcomeImage, OutcomeLegend } from '../components/outcome-image.js';
import { VersionPicker } from '../components/version-picker.js';

async function loadSide(projectArn, name) {
  const [v] = await loadVersions(projectArn, [name]);
  if (!v) throw new Error(`There is no model version ${name}.`);
  const arn = v.ProjectVersionArn;
  const [ev, at, images] = await Promise.all([evaluation(arn), evaluationAt(arn), evaluationImages(arn)]);
  return { name, arn, ev, at, images };
}

function side(s, label) {
  return (s.at.labels || []).find((l) => l.label === label)?.assumed;
}

/** Two versions side by side: metrics per label, PR curves overlaid, the images they judge differently. */
export function ComparePage({ project, v1, v2 }) {
  const { data, error } = useLoad(async () => {
    const p = await loadProject(project);
    const [a, b] = await Promise.all([loadSide(p.arn, v1), loadSide(p.arn, v2)]);
    return { p, a, b };
  }, [project, v1, v2]);
  const labels = data ? [...new Set([...(data.a.at.labels || []), ...(data.b.at.labels || [])].map((l) => l.label))].sort() : [];
  const series = data ? [data.a, data.b].flatMap((s) => (s.ev.labels || []).map((l) => ({ version: s.name, label: l.label, points: l.pr_curve?.points }))) : [];
  const diff = data ? disagreements(data.a.images.images, data.b.images.images) : [];
  const cell = (r, k) => html`<td>${fixed(r?.[k])}</td>`;

  return html`
    <div class="page" data-testid="compare-page">
      <div class="page-head">
        <p class="crumbs"><a href="#/projects">Projects</a> / <a href=${href('projects', project)}>${project}</a> /</p>
        <h1>Compare ${v1} and ${v2}</h1>
      </div>
      ${data && html`<${VersionPicker} project=${project} versions=${null} projectArn=${data.p.arn} v1=${v1} v2=${v2} />`}
      <${ErrorText} error=${error} testid="compare-error" />
      ${!data && !error && html`<p class="muted">Loading…</p>`}
      ${data && html`
        <section class="card">
          <h2>Metrics per label, each at its assumed threshold</h2>
          <table class="table" data-testid="compare-metrics">
            <thead>
              <tr><th rowspan="2">Label</th>
                <th colspan="4" class="version-head" style=${{ color: VERSION_COLORS[0] }}>${v1}</th>
                <th colspan="4" class="version-head" style=${{ color: VERSION_COLORS[1] }}>${v2}</th>
                <th rowspan="2">ΔF1</th></tr>
              <tr><th>Threshold</th><th>Precision</th><th>Recall</th><th>F1</th><th>Threshold</th><th>Precision</th><th>Recall</th><th>F1</th></tr>
            </thead>
            <tbody>
              ${labels.map((l) => {
                const a = side(data.a, l);
                const b = side(data.b, l);
                const d = a && b ? b.f1 - a.f1 : undefined;
                return html`<tr key=${l} data-testid="compare-row" data-label=${l}>
                  <td>${l}</td>
                  <td>${percent(a?.threshold)}</td>${cell(a, 'precision')}${cell(a, 'recall')}${cell(a, 'f1')}
                  <td>${percent(b?.threshold)}</td>${cell(b, 'precision')}${cell(b, 'recall')}${cell(b, 'f1')}
                  <td class=${d > 0 ? 'ok' : d < 0 ? 'bad' : ''} data-testid="compare-delta">${d === undefined ? '—' : `${d > 0 ? '+' : ''}${d.toFixed(3)}`}</td>
                </tr>`;
              })}
              <tr class="total"><td>Overall</td>
                <td></td>${cell(data.a.at.overall, 'precision')}${cell(data.a.at.overall, 'recall')}${cell(data.a.at.overall, 'f1')}
                <td></td>${cell(data.b.at.overall, 'precision')}${cell(data.b.at.overall, 'recall')}${cell(data.b.at.overall, 'f1')}
                <td></td></tr>
            </tbody>
          </table>
        </section>
        <section class="card">
          <h2>Precision–recall</h2>
          <${PrOverlay} series=${series} versions=${[v1, v2]} labels=${labels} />
        </section>
        <section class="card" data-testid="compare-disagreements">
          <h2>Where they disagree</h2>
          <p class="muted"><span data-testid="disagreement-count">${diff.length}</span> test image${diff.length === 1 ? '' : 's'} with different outcomes at each version's assumed thresholds. <${OutcomeLegend} /></p>
          <div class="compare-list">
            ${diff.slice(0, 60).map((d) => html`
              <div key=${d.ref} class="compare-pair" data-testid="compare-image" data-ref=${d.ref}>
                <p class="file-name" title=${d.ref}>${fileNameOf(d.ref)}</p>
                <div class="pair">
                  ${[[v1, d.a, data.a.images.datasetArn], [v2, d.b, data.b.images.datasetArn]].map(([name, img, ds], i) => html`
                    <figure key=${i} class="pair-side">
                      ${img ? html`<${OutcomeImage} datasetArn=${ds} image=${img} />` : html`<p class="muted">not evaluated</p>`}
                      <figcaption><span style=${{ color: VERSION_COLORS[i] }}>${name}</span>
                        ${img && ` ${img.truePositives} TP · ${img.falsePositives} FP · ${img.falseNegatives} FN`}</figcaption>
                    </figure>`)}
                </div>
              </div>`)}
          </div>
        </section>`}
    </div>`;
}
