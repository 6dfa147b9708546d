import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi } from '../api.js';
import { usePoll } from '../lib/hooks.js';
import { ErrorText } from '../components/error-text.js';
import { PipelineCard } from '../components/pipeline-card.js';
import { PipelineForm } from '../components/pipeline-form.js';

export function PipelinesPage() {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  const [tick, setTick] = useState(0);
  usePoll(async () => {
    try {
      setList((await consoleApi('GET', '/console/api/pipelines')).pipelines || []);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, 3000, [tick]);
  const changed = () => setTick((t) => t + 1);
  return html`
    <div class="page" data-testid="pipelines-page">
      <div class="page-head"><h1>Pipelines</h1></div>
      <${ErrorText} error=${error} />
      ${list && !list.length && html`<p class="empty" data-testid="no-pipelines">No pipelines yet.</p>`}
      ${list && list.map((p) => html`<${PipelineCard} key=${p.name} pipeline=${p} onChanged=${changed} />`)}
      <${PipelineForm} onCreated=${changed} />
    </div>`;
}
