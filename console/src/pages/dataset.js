import { html } from 'htm/preact';
import { useCallback, useRef, useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { loadProject } from '../lib/projects.js';
import { useLoad } from '../lib/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { DatasetTabs } from '../components/dataset-tabs.js';
import { DatasetStats } from '../components/dataset-stats.js';
import { DatasetFilters } from '../components/dataset-filters.js';
import { Gallery } from '../components/gallery.js';
import { ImportReport } from '../components/import-report.js';
import { AddImages } from '../components/add-images.js';
import { ImportManifest } from '../components/import-manifest.js';
import { SplitForm } from '../components/split-form.js';

export function DatasetPage({ project, type }) {
  const { data: info, error } = useLoad(() => loadProject(project), [project]);
  const [created, setCreated] = useState(null);
  const [refresh, setRefresh] = useState(0);
  const [labels, setLabels] = useState([]);
  const [filters, setFilters] = useState({ label: '', labeled: '', errors: false });
  const creating = useRef(null);
  const datasetArn = created || info?.datasets[type] || null;

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
  const changed = () => setRefresh((r) => r + 1);

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
              <${DatasetStats} datasetArn=${datasetArn} refresh=${refresh} onLabels=${setLabels} />
              <${DatasetFilters} labels=${labels} filters=${filters} onChange=${setFilters} />
              <${Gallery} datasetArn=${datasetArn} filters=${filters} labels=${labels} refresh=${refresh} />`
            : html`<p class="empty" data-testid="no-dataset">This project has no ${type === 'train' ? 'training' : 'test'} images yet. Add images or import a manifest.</p>`}
          </div>
          <aside class="dataset-side">
            <${AddImages} project=${project} type=${type} ensureDataset=${ensureDataset} onAdded=${changed} />
            <${ImportManifest} project=${project} type=${type} ensureDataset=${ensureDataset} onImported=${changed} />
            ${datasetArn && html`<${ImportReport} datasetArn=${datasetArn} refresh=${refresh} />`}
            <${SplitForm} projectArn=${info.arn} onSplit=${changed} />
          </aside>
        </div>`}
    </div>`;
}
