import { html } from 'htm/preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { loadProject } from '../lib/projects.js';
import { useLoad } from '../lib/hooks.js';
import { useProjectLabels } from '../lib/project-labels.js';
import { entryPictures } from '../lib/entry-api.js';
import { annotationsOf } from '../lib/manifest.js';
import { ErrorText } from '../components/error-text.js';
import { DatasetTabs } from '../components/dataset-tabs.js';
import { DatasetStats } from '../components/dataset-stats.js';
import { DatasetFilters } from '../components/dataset-filters.js';
import { Gallery } from '../components/gallery.js';
import { ImportReport } from '../components/import-report.js';
import { AddImages } from '../components/add-images.js';
import { ImportManifest } from '../components/import-manifest.js';
import { SplitForm } from '../components/split-form.js';
import { LabelEditor } from '../components/label-editor.js';
import { PrelabelPanel } from '../components/prelabel-panel.js';
import { BulkLabelBar } from '../components/bulk-label-bar.js';
import { SelectionBar } from '../components/selection-bar.js';

export function DatasetPage({ project, type }) {
  const { data: info, error } = useLoad(() => loadProject(project), [project]);
  const [created, setCreated] = useState(null);
  const [refresh, setRefresh] = useState(0);
  const [reload, setReload] = useState(0);
  const [statsTick, setStatsTick] = useState(0);
  const [labels, setLabels] = useState([]);
  const [filters, setFilters] = useState({ label: '', labeled: '', errors: false });
  const [page, setPage] = useState([]); // the entries the gallery shows
  const [editing, setEditing] = useState(null); // {refs, index}
  const [selection, setSelection] = useState(new Set());
  const anchor = useRef(-1);
  const [suggestions, setSuggestions] = useState({}); // ref → [stored-grid boxes with confidence]
  const [infos, setInfos] = useState({}); // ref → {width, height, orientation}
  const [overrides, setOverrides] = useState({}); // ref → line saved since the page was read
  const statsTimer = useRef(null);
  const creating = useRef(null);
  const datasetArn = created || info?.datasets[type] || null;
  const projectInfo = info && (created ? { ...info, datasets: { ...info.datasets, [type]: created } } : info);
  const projectLabels = useProjectLabels(projectInfo, `${refresh}.${statsTick}`);

  // The dataset is created on the first images added to it.
  const ensureDataset = useCallback(async () => {
    if (datasetArn) return datasetArn;
    if (!creating.current) {
      creating.current = rekognition('CreateDataset', { ProjectArn: info.arn, DatasetType: type.toUpperCase() })
        .then((r) => { setCreated(r.DatasetArn); return r.DatasetArn; })
        .finally(() => { creating.current = null; });
    }
    return creating.current;
  }, [datasetArn, info, type]);
  const changed = () => {
    setOverrides({});
    setRefresh((r) => r + 1);
  };
  const statsLater = () => {
    clearTimeout(statsTimer.current);
    statsTimer.current = setTimeout(() => setStatsTick((t) => t + 1), 700);
  };
  const saved = (ref, line) => {
    setOverrides((o) => ({ ...o, [ref]: line }));
    statsLater();
  };
  const onInfo = (ref, i) => setInfos((m) => (m[ref] && m[ref].orientation === i.orientation && m[ref].width === i.width ? m : { ...m, [ref]: i }));
  // The boxes of a line are on the stored grid; the thumbnails are upright. The boxed images'
  // orientations come in one request per page (boxes are drawn as ratios of the stored grid
  // until then, right for orientation 1).
  const asked = useRef(new Set());
  useEffect(() => {
    const todo = page.map((e) => e['source-ref']).filter((ref, i) => ref && !asked.current.has(ref) && annotationsOf(page[i]).boxes.length);
    if (!todo.length || !datasetArn) return;
    todo.forEach((ref) => asked.current.add(ref));
    // after the thumbnails have had their turn (the gallery's first paint comes first)
    let fired = false;
    const t = setTimeout(() => (fired = true) && entryPictures(datasetArn, todo).then((r) => {
      setInfos((m) => ({ ...(r.pictures || {}), ...m }));
    }).catch(() => todo.forEach((ref) => asked.current.delete(ref))), 600);
    return () => {
      clearTimeout(t);
      if (!fired) todo.forEach((ref) => asked.current.delete(ref));
    };
  }, [page, datasetArn]);
  const refs = page.map((e) => e['source-ref']);
  // `shown`: the gallery's refs at the click (`page` may not have caught up with a new page yet).
  const toggle = (i, shift, shown = refs) => {
    setSelection((sel) => {
      const next = new Set(sel);
      const ref = shown[i];
      if (shift && anchor.current >= 0 && anchor.current < shown.length) {
        const [a, b] = [Math.min(anchor.current, i), Math.max(anchor.current, i)];
        const on = !sel.has(ref) || sel.has(shown[anchor.current]);
        for (let j = a; j <= b; j++) on ? next.add(shown[j]) : next.delete(shown[j]);
      } else if (next.has(ref)) next.delete(ref);
      else next.add(ref);
      anchor.current = i;
      return next;
    });
  };
  const suggestionCount = Object.values(suggestions).reduce((n, l) => n + l.length, 0);

  return html`
    <div class="page" data-testid="dataset-page" data-type=${type}>
      <div class="page-head">
        <p class="crumbs"><a href="#/projects">Projects</a> / <a href=${`#/projects/${encodeURIComponent(project)}`}>${project}</a> /</p>
        <h1>Dataset</h1>
        <${DatasetTabs} project=${project} type=${type} />
      </div>
      <${ErrorText} error=${error} />
      ${info && html`
        <div class="dataset-layout">
          <div class="dataset-main">
            ${datasetArn ? html`
              <${DatasetStats} datasetArn=${datasetArn} refresh=${`${refresh}.${statsTick}`} onLabels=${setLabels} />
              <${DatasetFilters} labels=${labels} filters=${filters} onChange=${setFilters} />
              <div class="selection-sticky">
                <${SelectionBar} count=${selection.size} total=${refs.length}
                  onAll=${() => setSelection(new Set(refs))} onNone=${() => setSelection(new Set())}
                  onLabel=${refs.length ? () => setEditing({ refs, index: 0 }) : null} />
                ${selection.size > 0 && html`<${BulkLabelBar} datasetArn=${datasetArn} refs=${[...selection]}
                  labels=${projectLabels.labels} onSaved=${saved} onAddLabel=${projectLabels.add}
                  onClear=${() => setSelection(new Set())} />`}
              </div>
              <${Gallery} datasetArn=${datasetArn} filters=${filters} labels=${projectLabels.labels} refresh=${refresh} reload=${reload}
                overrides=${overrides} infos=${infos} suggestions=${suggestions} selection=${selection}
                onToggle=${toggle} onOpen=${(i, shown) => setEditing({ refs: shown || refs, index: i })} onPage=${setPage} />`
            : html`<p class="empty" data-testid="no-dataset">This project has no ${type === 'train' ? 'training' : 'test'} images yet. Add images or import a manifest.</p>`}
          </div>
          <aside class="dataset-side">
            <${AddImages} project=${project} type=${type} ensureDataset=${ensureDataset} onAdded=${changed} />
            ${datasetArn && html`<${PrelabelPanel} project=${info} datasetArn=${datasetArn} entries=${page}
              onSuggestions=${(found) => setSuggestions((s) => ({ ...s, ...found }))} onInfo=${onInfo}
              suggestions=${suggestions} labels=${projectLabels.labels} onSaved=${saved}
              count=${suggestionCount} onClear=${() => setSuggestions({})} />`}
            <${ImportManifest} project=${project} type=${type} ensureDataset=${ensureDataset} onImported=${changed} />
            ${datasetArn && html`<${ImportReport} datasetArn=${datasetArn} refresh=${refresh} />`}
            <${SplitForm} projectArn=${info.arn} onSplit=${changed} />
          </aside>
        </div>
        ${editing && datasetArn && html`<${LabelEditor} datasetArn=${datasetArn} projectArn=${info.arn}
          refs=${editing.refs} index=${editing.index} onIndex=${(i) => setEditing((e) => ({ ...e, index: i }))}
          onClose=${() => setEditing(null)} labels=${projectLabels.labels} labelsApi=${projectLabels}
          suggestionsOf=${(ref) => suggestions[ref]}
          onSuggestions=${(ref, list) => setSuggestions((s) => ({ ...s, [ref]: list }))}
          onSaved=${saved} onInfo=${onInfo}
          onLabelsRewritten=${() => { setOverrides({}); setReload((r) => r + 1); statsLater(); }} />`}`}
    </div>`;
}
