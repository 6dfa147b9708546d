import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { blobToBase64 } from '../lib/base64.js';
import { isClassificationAnswer, labelsAtOrAbove } from '../lib/classification.js';
import { BoxedImage } from './box-overlay.js';
import { ClassList } from './class-list.js';
import { ConfidenceSlider } from './confidence-slider.js';
import { DropZone } from './drop-zone.js';
import { ErrorText } from './error-text.js';

/**
 * One DetectCustomLabels call at MinConfidence 0; the slider filters as the API would. A
 * classifier (its evaluation says so, or its answer has no boxes) lists its labels, best first.
 */
export function TryIt({ versionArn, classification }) {
  const [image, setImage] = useState(null); // {url, name}
  const [labels, setLabels] = useState(null);
  const [min, setMin] = useState(50);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => () => image && URL.revokeObjectURL(image.url), [image]);

  const detect = async ([file]) => {
    setError(null);
    setLabels(null);
    setImage({ url: URL.createObjectURL(file), name: file.name });
    setBusy(true);
    try {
      const r = await rekognition('DetectCustomLabels', {
        ProjectVersionArn: versionArn,
        Image: { Bytes: await blobToBase64(file) },
        MinConfidence: 0,
      });
      setLabels(r.CustomLabels || []);
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  const classifier = !!classification || isClassificationAnswer(labels);
  const kept = (labels || []).filter((l) => l.Confidence >= min);
  const ranked = classifier ? labelsAtOrAbove(labels, min) : [];
  const boxes = classifier ? [] : kept.filter((l) => l.Geometry?.BoundingBox).map((l) => ({
    label: l.Name, confidence: l.Confidence,
    left: l.Geometry.BoundingBox.Left, top: l.Geometry.BoundingBox.Top,
    width: l.Geometry.BoundingBox.Width, height: l.Geometry.BoundingBox.Height,
  }));
  const whole = classifier ? [] : kept.filter((l) => !l.Geometry?.BoundingBox);
  const names = [...new Set((labels || []).map((l) => l.Name))].sort();

  return html`
    <section class="card" data-testid="try-it" data-state=${busy ? 'busy' : labels ? 'done' : 'idle'}
      data-mode=${classifier ? 'classification' : 'detection'}>
      <h2>Try it</h2>
      <${DropZone} multiple=${false} onFiles=${detect} disabled=${busy} testid="try-drop" />
      <${ErrorText} error=${error} testid="try-error" />
      ${busy && html`<p class="muted">Detecting…</p>`}
      ${labels && html`<${ConfidenceSlider} value=${min} onChange=${setMin} shown=${kept.length} />`}
      ${image && html`<div class="try-image"><${BoxedImage} src=${image.url} alt=${image.name} boxes=${boxes} labels=${names} showTags=${true} testid="try-image" /></div>`}
      ${classifier && labels && html`<${ClassList} labels=${ranked} total=${labels.length} />`}
      ${whole.length > 0 && html`<ul class="plain">${whole.map((l, i) => html`<li key=${i}>${l.Name} ${l.Confidence.toFixed(1)}%</li>`)}</ul>`}
    </section>`;
}
