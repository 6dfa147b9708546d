import { html } from 'htm/preact';

const FRIENDLY = {
  TRAINING_IN_PROGRESS: ['training', 'busy'],
  TRAINING_COMPLETED: ['ready', 'ok'],
  TRAINING_FAILED: ['failed', 'bad'],
  STARTING: ['starting', 'busy'],
  RUNNING: ['running', 'live'],
  STOPPING: ['stopping', 'busy'],
  STOPPED: ['ready', 'ok'],
  FAILED: ['failed', 'bad'],
  DELETING: ['deleting', 'busy'],
};

export const friendlyStatus = (status) => (FRIENDLY[status] || [String(status || 'unknown').toLowerCase()])[0];

export function StatusBadge({ status, testid = 'status' }) {
  const [text, tone] = FRIENDLY[status] || [String(status || 'unknown').toLowerCase(), 'neutral'];
  return html`<span class=${`badge badge-${tone}`} title=${status} data-testid=${testid} data-status=${status}>${text}</span>`;
}
