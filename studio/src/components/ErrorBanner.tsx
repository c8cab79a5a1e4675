import { ApiError, describeError } from '../api/client';

/** Shows a failed call: unreachable server, refused key or the server's problem details. */
export function ErrorBanner({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  if (!error) return null;
  const unreachable = error instanceof ApiError && error.unreachable;
  const problems = error instanceof ApiError ? error.problem?.problems ?? [] : [];
  return (
    <div className={`banner ${unreachable ? 'banner-offline' : 'banner-error'}`} role="alert" data-testid="error-banner">
      <div className="banner-text">
        <strong>{unreachable ? 'Server unreachable' : 'Error'}</strong> {describeError(error)}
        {problems.length > 0 && (
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.activityId ? <code>{p.activityId}</code> : null} {p.path ? `${p.path}: ` : ''}{p.message}</li>
            ))}
          </ul>
        )}
      </div>
      {onRetry && <button className="btn" onClick={onRetry}>Retry</button>}
      {onDismiss && <button className="btn btn-ghost" onClick={onDismiss} aria-label="Dismiss">×</button>}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <div className="muted loading">Loading {what}…</div>;
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="empty">{children}</div>;
}
