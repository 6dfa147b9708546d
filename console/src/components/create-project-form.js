import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { rekognition } from '../api.js';
import { useAction } from '../lib/hooks.js';
import { ErrorText } from './error-text.js';

export function CreateProjectForm({ onCreated }) {
  const [name, setName] = useState('');
  const [create, busy, error] = useAction(async () => {
    await rekognition('CreateProject', { ProjectName: name.trim() });
    const created = name.trim();
    setName('');
    onCreated(created);
  }, [name]);
  return html`
    <form class="card inline-form" data-testid="create-project-form" onSubmit=${(e) => { e.preventDefault(); create(); }}>
      <label>New project
        <input required placeholder="bee-detection" value=${name}
          title="Letters, digits, '_', '.', '-'" data-testid="project-name"
          onInput=${(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled=${busy} data-testid="create-project">Create project</button>
      <${ErrorText} error=${error} testid="create-project-error" />
    </form>`;
}
