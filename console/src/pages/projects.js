import { html } from 'htm/preact';
import { loadProjectsWithVersions } from '../lib/projects.js';
import { useLoad } from '../lib/hooks.js';
import { href } from '../lib/router.js';
import { ErrorText } from '../components/error-text.js';
import { ProjectCard } from '../components/project-card.js';
import { CreateProjectForm } from '../components/create-project-form.js';

export function ProjectsPage() {
  const { data, error, loading, reload } = useLoad(loadProjectsWithVersions, []);
  return html`
    <div class="page" data-testid="projects-page">
      <div class="page-head"><h1>Projects</h1></div>
      <${CreateProjectForm} onCreated=${(name) => { location.hash = href('projects', name); }} />
      <${ErrorText} error=${error} />
      ${data && !data.length && html`<p class="empty" data-testid="no-projects">No projects yet. Create one to start labelling images and training a model.</p>`}
      ${data && data.map((p) => html`<${ProjectCard} key=${p.arn} project=${p} onDeleted=${reload} />`)}
      ${loading && !data && html`<p class="muted">Loading…</p>`}
    </div>`;
}
