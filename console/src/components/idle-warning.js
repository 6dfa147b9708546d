import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { consoleApi, rekognition } from '../api.js';
import { usePoll } from '../lib/hooks.js';

/** Polls the running models every 30 s and warns about the ones left idle, with a Stop button. */
export function IdleWarning() {
  const [idle, setIdle] = useState([]);
  const [stopping, setStopping] = useState({});
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);

  usePoll(async () => {
    const r = await consoleApi('GET', '/console/api/models/running');
    const limit = Number(r.idleWarningS);
    setIdle((r.models || []).filter((m) => Number.isFinite(limit) && m.idleS >= limit));
  }, 30000, [tick]);

  const stop = async (m) => {
    setStopping((s) => ({ ...s, [m.projectVersionArn]: true }));
    setError('');
    try {
      await rekognition('StopProjectVersion', { ProjectVersionArn: m.projectVersionArn });
      setIdle((list) => list.filter((x) => x.projectVersionArn !== m.projectVersionArn));
    } catch (e) {
      setError(e.message);
    }
    setStopping((s) => ({ ...s, [m.projectVersionArn]: false }));
    setTick((t) => t + 1);
  };

  if (!idle.length && !error) return null;
  return html`
    <div class="idle-warnings" data-testid="idle-warnings">
      ${idle.map((m) => html`
        <div class="idle-warning" key=${m.projectVersionArn} data-testid="idle-warning">
          <span>Model ${m.project}/${m.version} has been running idle for ${Math.floor(m.idleS / 60)} min</span>
          <button type="button" disabled=${stopping[m.projectVersionArn]} data-testid="idle-stop"
            onClick=${() => stop(m)}>${stopping[m.projectVersionArn] ? 'Stopping…' : 'Stop'}</button>
        </div>`)}
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </div>`;
}
