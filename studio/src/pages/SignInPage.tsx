import { useState, type FormEvent } from 'react';
import { apiKeyStore } from '../api/client';
import { api } from '../api/endpoints';
import type { Me } from '../api/types';
import { ErrorBanner } from '../components/ErrorBanner';

/** Sign-in with an API key: the key is checked with GET /api/me before it is kept for the session. */
export function SignInPage({ reason, onSignedIn }: { reason?: string; onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const k = key.trim();
    if (!k) return;
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.me(k);
      apiKeyStore.set(k);
      onSignedIn(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="center-page">
      <form className="card signin-card" onSubmit={submit} data-testid="signin-form">
        <h1 className="brand-title">BackupWorkflows</h1>
        <p className="muted">Sign in with an API key. Viewer keys can look at everything but change nothing.</p>
        {reason && !error && <div className="banner banner-warn">{reason}</div>}
        <ErrorBanner error={error} />
        <label className="field">
          <span>API key</span>
          <input type="password" autoFocus autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)}
            data-testid="signin-key" placeholder="bwf_…" />
        </label>
        <button className="btn btn-primary" type="submit" disabled={busy || !key.trim()} data-testid="signin-submit">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
