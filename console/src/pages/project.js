import { html } from 'htm/preact';
import { loadProject, loadVersions } from '../lib/projects.js';
import { useLoad } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { ErrorText } from '../components/error-text.js';
import { DatasetSummary } from '../components/dataset-summary.js';
import { VersionRow } from '../components/version-row.js';
import { VersionPicker } from '../components/version-picker.js';

export function ProjectPage({ project }) {
  const { data, error } = useLoad(async () => {
    const p = await loadProject(project);
    return { ...p, versions: await loadVersions(p.arn) };
  }, [project]);
  return html`
    <div class="page" data-testid="project-page">
      <div class="page-head">
        <p class="crumbs"><a href="#/projects">Projects</a> /</p>
        <h1>${project}</h1>
        <span class="spacer"></span>
        <a class="button primary" href=${href('projects', project, 'train')} data-testid="go-train">Train a model</a>
      </div>
      <${ErrorText} error=${error} />
      ${data && html`
        <div class="grid-2">
          <${DatasetSummary} project=${project} type="train" arn=${data.datasets.train} />
          <${DatasetSummary} project=${project} type="test" arn=${data.datasets.test} />
        </div>
        <section class="card">
          <h2>Models</h2>
          ${data.versions.length
            ? html`<table class="table"><thead><tr><th>Model version</th><th>Status</th><th>F1</th><th>Created</th></tr></thead>
                <tbody>${data.versions.map((v) => html`<${VersionRow} key=${v.ProjectVersionArn} project=${project} version=${v} />`)}</tbody></table>`
            : html`<p class="muted">No models yet. Add training images, then train.</p>`}
          <${VersionPicker} project=${project} projectArn=${data.arn} versions=${data.versions} />
        </section>`}
    </div>`;
}
