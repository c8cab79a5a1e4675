import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiKeyStore, onUnauthorized } from './api/client';
import { api } from './api/endpoints';
import type { Me } from './api/types';
import { Shell } from './Shell';
import { SignInPage } from './pages/SignInPage';
import { SessionContext, sessionFor } from './session';
import { ErrorBanner, Loading } from './components/ErrorBanner';

type Auth = { kind: 'checking' } | { kind: 'signed-out'; reason?: string } | { kind: 'offline'; error: unknown } | { kind: 'signed-in'; me: Me };

/** Checks the stored key with GET /api/me, then shows the shell or the sign-in page. */
export function App() {
  const [auth, setAuth] = useState<Auth>(() => (apiKeyStore.get() ? { kind: 'checking' } : { kind: 'signed-out' }));

  const check = useCallback(() => {
    if (!apiKeyStore.get()) return setAuth({ kind: 'signed-out' });
    setAuth({ kind: 'checking' });
    api.me().then(
      (me) => setAuth({ kind: 'signed-in', me }),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          apiKeyStore.clear();
          setAuth({ kind: 'signed-out', reason: 'Your key is no longer accepted. Sign in again.' });
        } else setAuth({ kind: 'offline', error: e });
      },
    );
  }, []);

  useEffect(() => { if (auth.kind === 'checking') check(); }, []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(
    () => onUnauthorized(() => {
      apiKeyStore.clear();
      setAuth({ kind: 'signed-out', reason: 'Your key is no longer accepted. Sign in again.' });
    }),
    [],
  );

  const signOut = useCallback(() => {
    apiKeyStore.clear();
    setAuth({ kind: 'signed-out' });
  }, []);

  switch (auth.kind) {
    case 'checking':
      return <div className="center-page"><Loading what="session" /></div>;
    case 'signed-out':
      return <SignInPage reason={auth.reason} onSignedIn={(me) => setAuth({ kind: 'signed-in', me })} />;
    case 'offline':
      return (
        <div className="center-page">
          <div className="card signin-card">
            <h1 className="brand-title">BackupWorkflows</h1>
            <ErrorBanner error={auth.error} onRetry={check} />
            <button className="btn btn-ghost" onClick={signOut} data-testid="signout">Use another key</button>
          </div>
        </div>
      );
    case 'signed-in':
      return (
        <SessionContext.Provider value={sessionFor(auth.me, signOut)}>
          <Shell />
        </SessionContext.Provider>
      );
  }
}
