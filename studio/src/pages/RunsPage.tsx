import { useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import { instanceStatuses, type InstanceStatus } from '../api/types';
import { StatusBadge } from '../components/Badges';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { formatTime } from '../format';
import { Link } from '../router';
import { useLoad } from '../useLoad';

const pageSize = 50;

/** Workflow instances, filtered by status and definition, newest first, refreshed every 5 s. */
export function RunsPage() {
  const [status, setStatus] = useState<InstanceStatus | undefined>();
  const [definitionId, setDefinitionId] = useState(() => sessionStorage.getItem('bwf.runs.definition') ?? '');
  const [skip, setSkip] = useState(0);
  const list = useLoad(() => api.instances({ status, definitionId: definitionId || undefined, skip, take: pageSize }), [status, definitionId, skip]);
  useEffect(() => {
    sessionStorage.setItem('bwf.runs.definition', definitionId);
    const t = setInterval(list.reload, 5000);
    return () => clearInterval(t);
  }, [definitionId, list.reload]);

  return (
    <div className="page" data-testid="runs-page">
      <div className="page-head">
        <h1>Runs</h1>
        <div className="chips" role="group" aria-label="Status filter">
          <button className={`chip ${status === undefined ? 'on' : ''}`} onClick={() => { setStatus(undefined); setSkip(0); }} data-testid="runs-filter-all">All</button>
          {instanceStatuses.map((s) => (
            <button key={s} className={`chip ${status === s ? 'on' : ''}`} onClick={() => { setStatus(s); setSkip(0); }} data-testid={`runs-filter-${s}`}>{s}</button>
          ))}
        </div>
        <input className="filter" placeholder="Workflow id" value={definitionId} onChange={(e) => { setDefinitionId(e.target.value.trim()); setSkip(0); }} data-testid="runs-filter-definition" />
      </div>
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="runs" />}
      {list.data && list.data.length === 0 && <Empty>No runs match.</Empty>}
      {list.data && list.data.length > 0 && (
        <table className="table">
          <thead><tr><th>Instance</th><th>Workflow</th><th>Status</th><th>Started</th><th>Finished</th><th>Correlation</th></tr></thead>
          <tbody>
            {list.data.map((i) => (
              <tr key={i.id} data-testid={`run-row-${i.id}`}>
                <td><Link to={['runs', i.id]} data-testid={`run-open-${i.id}`}><code>{i.id.slice(0, 12)}</code></Link></td>
                <td>{i.definitionId} <span className="muted">v{i.definitionVersion}</span></td>
                <td><StatusBadge status={i.status} testId={`run-status-${i.id}`} /></td>
                <td>{formatTime(i.createdAt)}</td>
                <td>{formatTime(i.finishedAt)}</td>
                <td className="muted small">{i.correlationId ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button className="btn btn-small" disabled={skip === 0} onClick={() => setSkip(Math.max(0, skip - pageSize))}>Newer</button>
        <button className="btn btn-small" disabled={(list.data?.length ?? 0) < pageSize} onClick={() => setSkip(skip + pageSize)}>Older</button>
      </div>
    </div>
  );
}
