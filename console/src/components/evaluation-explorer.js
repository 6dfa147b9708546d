import { html } from 'htm/preact';
import { ThresholdSlider } from './threshold-slider.js';
import { ReliabilityDiagram } from './reliability-diagram.js';
import { ExplorerImages } from './explorer-images.js';

/** Thresholds per label (server-computed P/R/F1), calibration, and the test images by outcome. */
export function EvaluationExplorer({ versionArn, evaluation, classification }) {
  const labels = evaluation?.labels || [];
  return html`
    <section class="card" data-testid="explorer">
      <h2>Explore the evaluation</h2>
      <p class="muted">Move a label's threshold to see the precision, recall and F1 it would give on the test set (from the predictions stored with the model). The mark is the assumed threshold.</p>
      <div class="thresholds">
        ${labels.map((l) => html`<${ThresholdSlider} key=${l.label} versionArn=${versionArn} label=${l.label} assumed=${l.assumed} />`)}
      </div>
      <div class="curves">
        <${ReliabilityDiagram} reliability=${evaluation?.reliability} />
      </div>
    </section>
    <${ExplorerImages} versionArn=${versionArn} labels=${labels.map((l) => l.label)} classification=${!!classification} />`;
}
