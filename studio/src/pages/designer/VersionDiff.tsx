import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { WorkflowVersion } from '../../api/types';
import { ErrorBanner, Loading } from '../../components/ErrorBanner';
import { diffDefinitions } from '../../graph/diff';
import { useLoad } from '../../useLoad';

/** Two versions side by side: what was added, removed and changed from the first to the second. */
export function VersionDiff({ workflowId, versions }: { workflowId: string; versions: WorkflowVersion[] }) {
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const [from, setFrom] = useState(numbers[numbers.length - 2] ?? numbers[0]);
  const [to, setTo] = useState(numbers[numbers.length - 1]);
  const pair = useLoad(() => Promise.all([api.workflow(workflowId, from), api.workflow(workflowId, to)]), [workflowId, from, to]);
  const rows = pair.data ? diffDefinitions(pair.data[0], pair.data[1]) : [];
  const pick = (value: number, set: (n: number) => void, testId: string) => (
    <select value={value} onChange={(e) => set(Number(e.target.value))} data-testid={testId}>
      {numbers.map((n) => <option key={n} value={n}>v{n}</option>)}
    </select>
  );
  return (
    <div className="version-diff" data-testid="version-diff">
      <div className="row-edit">Compare {pick(from, setFrom, 'diff-from')} with {pick(to, setTo, 'diff-to')}</div>
      <ErrorBanner error={pair.error} onRetry={pair.reload} />
      {pair.loading && !pair.data && <Loading what="versions" />}
      {pair.data && (rows.length === 0 ? <div className="muted small" data-testid="diff-none">No differences (positions aside).</div> : (
        <table className="table diff" data-testid="diff-rows">
          <thead><tr><th /><th>What</th><th>v{from}</th><th>v{to}</th></tr></thead>
          <tbody>{rows.map((r, i) => (
            <tr key={i} className={`diff-${r.kind}`} data-testid={`diff-${r.kind}-${r.key}`}>
              <td>{r.kind === 'added' ? '+' : r.kind === 'removed' ? '−' : '~'}</td>
              <td>{r.what} <code>{r.key}</code></td>
              <td className="mono small">{r.before ?? ''}</td>
              <td className="mono small">{r.after ?? ''}</td>
            </tr>
          ))}</tbody>
        </table>
      ))}
    </div>
  );
}
