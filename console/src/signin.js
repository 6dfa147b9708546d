// The sign-in page: the one module served without a session, so it imports nothing of ours
// (only preact, preact/hooks and htm/preact). Access key id + secret → POST /console/api/session.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { html } from 'htm/preact';

// The contract serves only this script without a session, so the page styles itself through
// CSSOM (CSP-safe) rather than count on app.css.
const S = {
  page: { minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', margin: '0',
    background: '#f5f6f8', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', color: '#1f2430' },
  card: { width: '380px', display: 'flex', flexDirection: 'column', gap: '14px', background: '#fff', padding: '28px',
    border: '1px solid #e3e6eb', borderRadius: '10px', boxShadow: '0 4px 16px rgba(16,24,40,.08)' },
  h1: { margin: '0', fontSize: '26px', display: 'flex', alignItems: 'center', gap: '10px' },
  logo: { display: 'inline-block', width: '18px', height: '18px', borderRadius: '3px', transform: 'rotate(45deg)',
    background: 'linear-gradient(135deg, #fbbf24, #d97706)' },
  muted: { margin: '0', color: '#667085', fontSize: '14px' },
  label: { display: 'flex', flexDirection: 'column', gap: '4px', fontSize: '14px', color: '#374151' },
  input: { font: 'inherit', fontSize: '15px', padding: '8px 10px', border: '1px solid #cfd4dc', borderRadius: '6px' },
  error: { margin: '0', color: '#b91c1c', background: '#fef2f2', border: '1px solid #fecaca', borderRadius: '6px', padding: '8px 10px' },
  button: { font: 'inherit', fontSize: '15px', padding: '9px', border: 'none', borderRadius: '6px', background: '#d97706',
    color: '#fff', cursor: 'pointer' },
};

/** The server's refusal (401 wrong keys, 429 too many tries) is shown as text. */
function SignInForm() {
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    setMessage('');
    try {
      const res = await fetch('/console/api/session', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ accessKeyId: keyId.trim(), secretAccessKey: secret }),
      });
      if (res.ok) {
        location.reload();
        return;
      }
      let text = '';
      try {
        text = (await res.json()).message || '';
      } catch (_) { /* not JSON */ }
      setMessage(text || `Sign-in failed (HTTP ${res.status}).`);
    } catch (e) {
      setMessage(`Could not reach the server (${e.message}).`);
    }
    setBusy(false);
  };

  return html`
    <main class="signin" style=${S.page}>
      <form class="card signin-card" style=${S.card} data-testid="signin-form" onSubmit=${submit}>
        <h1 style=${S.h1}><span class="logo" style=${S.logo} aria-hidden="true"></span>Apiary</h1>
        <p class="muted" style=${S.muted}>Sign in with the access key of this server (the one your AWS CLI uses).</p>
        <label style=${S.label}>Access key ID
          <input style=${S.input} name="accessKeyId" autocomplete="username" required value=${keyId}
            data-testid="signin-key-id" onInput=${(e) => setKeyId(e.currentTarget.value)} />
        </label>
        <label style=${S.label}>Secret access key
          <input style=${S.input} name="secretAccessKey" type="password" autocomplete="current-password" required value=${secret}
            data-testid="signin-secret" onInput=${(e) => setSecret(e.currentTarget.value)} />
        </label>
        ${message && html`<p class="error" style=${S.error} role="alert" data-testid="signin-error">${message}</p>`}
        <button type="submit" class="primary" style=${S.button} disabled=${busy} data-testid="signin-submit">${busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>`;
}

document.body.style.margin = '0';
render(html`<${SignInForm} />`, document.getElementById('root'));
