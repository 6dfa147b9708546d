import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

/** A button that asks "Sure?" in place before acting (no browser dialogs). */
export function ConfirmButton({ label, confirmLabel = 'Click again to confirm', onConfirm, disabled, testid, danger = true }) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return undefined;
    const t = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(t);
  }, [armed]);
  const click = () => {
    if (!armed) return setArmed(true);
    setArmed(false);
    onConfirm();
  };
  return html`<button type="button" class=${danger ? 'danger' : ''} disabled=${disabled}
    data-testid=${testid} data-armed=${armed ? 'yes' : 'no'} onClick=${click}>${armed ? confirmLabel : label}</button>`;
}
