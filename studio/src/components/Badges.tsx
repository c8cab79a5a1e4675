import { formatBytes } from '../format';

const tone: Record<string, string> = {
  running: 'info', waiting: 'info', suspended: 'warn', finished: 'ok', faulted: 'bad', cancelled: 'muted',
  pending: 'muted', done: 'ok', failed: 'bad', retrying: 'warn', skipped: 'muted',
  backedup: 'ok', creating: 'info', error: 'bad', removed: 'muted', expunged: 'muted',
  valid: 'ok', invalid: 'bad', unabletovalidate: 'warn',
  viewer: 'muted', operator: 'info', admin: 'warn',
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return <span className={`badge badge-${tone[status.toLowerCase()] ?? 'muted'}`} data-testid={testId}>{status}</span>;
}

/** A horizontal bar; `fraction` null draws an indeterminate (striped) bar. */
export function ProgressBar({ fraction, label, testId }: { fraction: number | null; label?: string; testId?: string }) {
  return (
    <div className="progress" data-testid={testId} role="progressbar" aria-valuemin={0} aria-valuemax={100}
      aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)} title={label}>
      <div className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'} style={{ width: `${fraction === null ? 100 : fraction * 100}%` }} />
    </div>
  );
}

/** Used/capacity with colour by fullness; unknown capacity shows only the used amount. */
export function UsageBar({ used, capacity, testId }: { used: number | null | undefined; capacity: number | null | undefined; testId?: string }) {
  const fraction = capacity && capacity > 0 && used !== null && used !== undefined ? Math.min(1, used / capacity) : null;
  const level = fraction === null ? '' : fraction > 0.9 ? 'usage-bad' : fraction > 0.75 ? 'usage-warn' : '';
  return (
    <div className="usage" data-testid={testId}>
      <div className={`usage-track ${level}`}>
        <div className="usage-fill" style={{ width: `${(fraction ?? 0) * 100}%` }} />
      </div>
      <span className="usage-label">
        {formatBytes(used)} / {capacity ? formatBytes(capacity) : 'unknown'}
        {fraction !== null && ` (${Math.round(fraction * 100)}%)`}
      </span>
    </div>
  );
}
