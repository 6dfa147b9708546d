import { html } from 'htm/preact';
import { signOut } from '../api.js';

export function AppHeader({ route, keyId }) {
  const section = route[0] || 'projects';
  return html`
    <header class="app-header">
      <a class="brand" href="#/projects"><span class="logo" aria-hidden="true"></span>Apiary</a>
      <nav>
        <a href="#/projects" class=${section === 'projects' ? 'active' : ''} data-testid="nav-projects">Projects</a>
        <a href="#/pipelines" class=${section === 'pipelines' ? 'active' : ''} data-testid="nav-pipelines">Pipelines</a>
        <a href="#/reviews" class=${section === 'reviews' ? 'active' : ''} data-testid="nav-reviews">Reviews</a>
      </nav>
      <span class="spacer"></span>
      <span class="key-id" title="Signed in as this access key" data-testid="key-id">${keyId}</span>
      <button type="button" class="link-button" data-testid="sign-out" onClick=${signOut}>Sign out</button>
    </header>`;
}
