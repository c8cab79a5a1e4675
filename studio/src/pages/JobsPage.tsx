import { useEffect } from 'react';
import { api } from '../api/endpoints';
import type { Job } from '../api/types';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { formatTime } from '../format';
import { Link } from '../router';
import { useLoad } from '../useLoad';

/** What a job's state cell says: the state, and why a queued job waits or how a failed one failed. */
export function describeJob(j: Job): string {
  if (j.state === 'running' && j.progress && j.progress.total > 0)
    return `running ${Math.floor((100 * j.progress.done) / j.progress.total)}%${j.progress.message ? ` (${j.progress.message})` : ''}`;
  if (j.state === 'queued') return `queued${j.reason ? `: ${j.reason}` : ''}`;
  if (j.state === 'failed') return j.reason ?? 'failed';
  return j.state;
}

/** Compression and validation jobs as the engine runs them; refreshed every 5 s. */
export function JobsPage() {
  const list = useLoad(api.jobs, []);
  useEffect(() => {
    const t = setInterval(list.reload, 5000);
    return () => clearInterval(t);
  }, [list.reload]);
  return (
    <div className="page" data-testid="jobs-page">
      <h1>Jobs</h1>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="jobs" />}
      {list.data?.length === 0 && <Empty>No compression or validation jobs.</Empty>}
      {!!list.data?.length && (
        <table className="table">
          <thead><tr><th>Type</th><th>Backup</th><th>Host</th><th>State</th><th>Attempts</th><th>Queued</th><th /></tr></thead>
          <tbody>{list.data.map((j) => (
            <tr key={j.id} data-testid={`job-${j.id}`}>
              <td>{j.type}{j.levels ? <span className="muted small"> ({j.levels})</span> : null}</td>
              <td><code>{j.backupId ?? '—'}</code></td><td>{j.host ?? '—'}</td>
              <td data-testid={`job-state-${j.id}`}>{describeJob(j)}</td><td>{j.attempts}</td><td>{formatTime(j.createdAt)}</td>
              <td className="actions"><Link to={['runs', j.id]}>Run</Link></td>
            </tr>))}
          </tbody>
        </table>
      )}
    </div>
  );
}
