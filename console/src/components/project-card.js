import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { href } from '../lib/router.js';
import { ConfirmButton } from './confirm-button.js';
import { ErrorText } from './error-text.js';
import { VersionRow } from './version-row.js';

export function ProjectCard({ project, onDeleted }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await rekognition('DeleteProject', { ProjectArn: project.arn });
      onDeleted();
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };
  return html`
    <section class="card project-card" data-testid="project-card" data-project=${project.name}>
      <div class="card-head">
        <h2><a href=${href('projects', project.name)} data-testid="project-link">${project.name}</a></h2>
        <span class="spacer"></span>
        <a class="button" href=${href('projects', project.name, 'dataset', 'train')}>Dataset</a>
        <a class="button" href=${href('projects', project.name, 'train')}>Train</a>
        <${ConfirmButton} label="Delete" testid="project-delete" disabled=${busy} onConfirm=${remove} />
      </div>
      <${ErrorText} error=${error} testid="project-error" />
      ${project.versionsError && html`<p class="error">${project.versionsError}</p>`}
      ${project.versions.length
        ? html`<table class="table"><thead><tr><th>Model version</th><th>Status</th><th>F1</th><th>Created</th></tr></thead>
            <tbody>${project.versions.map((v) => html`<${VersionRow} key=${v.ProjectVersionArn} project=${project.name} version=${v} />`)}</tbody></table>`
        : html`<p class="muted">No models yet.</p>`}
    </section>`;
}
