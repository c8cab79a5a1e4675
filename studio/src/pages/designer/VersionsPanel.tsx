import { api } from '../../api/endpoints';
import { StatusBadge } from '../../components/Badges';
import { ErrorBanner, Loading } from '../../components/ErrorBanner';
import { formatTime } from '../../format';
import { useState } from 'react';
import { useLoad } from '../../useLoad';
import { VersionDiff } from './VersionDiff';

/** Version history: open any version read-only, or (admins) revert: a new draft copied from it. */
export function VersionsPanel({ workflowId, current, refreshKey, canEdit, onOpen, onRevert }: {
  workflowId: string;
  current: number;
  refreshKey: number;
  canEdit: boolean;
  onOpen: (version: number) => void;
  onRevert: (version: number) => void;
}) {
  const versions = useLoad(() => api.versions(workflowId), [workflowId, refreshKey]);
  const [comparing, setComparing] = useState(false);
  return (
    <div className="versions" data-testid="versions-panel">
      <h3>Versions {(versions.data?.length ?? 0) > 1 && (
        <button className="btn btn-small btn-ghost" onClick={() => setComparing((c) => !c)} data-testid="versions-compare">{comparing ? 'Hide comparison' : 'Compare'}</button>
      )}</h3>
      {comparing && versions.data && <VersionDiff key={refreshKey} workflowId={workflowId} versions={versions.data} />}
      <ErrorBanner error={versions.error} onRetry={versions.reload} />
      {versions.loading && !versions.data && <Loading what="versions" />}
      <ul>
        {[...(versions.data ?? [])].sort((a, b) => b.version - a.version).map((v) => (
          <li key={v.version} className={v.version === current ? 'current' : ''} data-testid={`version-${v.version}`}>
            <span className="version-no">v{v.version}</span>
            {v.isPublished && <StatusBadge status="published" />}
            <span className="muted small">{formatTime(v.createdAt)}</span>
            <span className="spacer" />
            <button className="btn btn-small btn-ghost" onClick={() => onOpen(v.version)} data-testid={`version-open-${v.version}`}>Open</button>
            {canEdit && <button className="btn btn-small" onClick={() => onRevert(v.version)} data-testid={`version-revert-${v.version}`}>Revert</button>}
          </li>
        ))}
      </ul>
    </div>
  );
}
