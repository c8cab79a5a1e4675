import { useState } from 'react';
import { api } from '../../api/endpoints';
import { StatusBadge } from '../../components/Badges';
import { Empty, ErrorBanner } from '../../components/ErrorBanner';
import { formatTime } from '../../format';
import { useLoad } from '../../useLoad';

interface Props {
  vm: string;
  vmRunning: boolean;
  canOperate: boolean;
  /** Changes when a run the page follows (one started here) ends: the list is read again. */
  runsEnded: number;
  onStarted: (text: string, instanceId: string) => void;
}

/** The VM's snapshots (not the deleted ones), newest first, with take, revert (VM stopped) and delete. */
export function SnapshotList({ vm, vmRunning, canOperate, runsEnded, onStarted }: Props) {
  const snapshots = useLoad(() => api.snapshots(vm), [vm, runsEnded]);
  const [error, setError] = useState<unknown>();
  const act = async (text: string, call: () => Promise<{ instanceId: string }>) => {
    setError(undefined);
    try { onStarted(text, (await call()).instanceId); snapshots.reload(); } catch (e) { setError(e); }
  };
  const shown = (snapshots.data ?? []).filter((s) => s.state !== 'Deleted');
  return (
    <section className="snapshots" data-testid="snapshots">
      <div className="page-head">
        <h2>Snapshots</h2>
        <span className="spacer" />
        {canOperate && <button className="btn btn-small" onClick={() => void act('Snapshot started', () => api.takeSnapshot(vm))} data-testid="snapshot-take">Take snapshot</button>}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      <ErrorBanner error={snapshots.error} onRetry={snapshots.reload} />
      {snapshots.data && shown.length === 0 && <Empty>No snapshots of {vm}.</Empty>}
      <ol className="timeline">
        {shown.map((s) => (
          <li key={s.id} className="backup" data-testid={`snapshot-${s.name}`} data-state={s.state}>
            <div className="backup-top"><strong>{s.name}</strong> <StatusBadge status={s.state} /></div>
            <div className="small">{formatTime(s.createdAt)}</div>
            <div className="small muted">{s.disks.map((d) => d.target).join(', ')}{s.quiesced ? ' · quiesced' : ''}</div>
            {s.error && <div className="error-text" title={s.error}>{s.error}</div>}
            {canOperate && s.state === 'Ready' && (
              <div className="backup-actions">
                <button className="btn btn-small" disabled={vmRunning} title={vmRunning ? 'Stop the VM to revert it' : undefined}
                  onClick={() => void act(`Revert to ${s.name} started`, () => api.revertSnapshot(s.id))} data-testid={`snapshot-revert-${s.name}`}>Revert</button>
                <button className="btn btn-small btn-ghost btn-danger"
                  onClick={() => { if (confirm(`Delete snapshot ${s.name}?`)) void act(`Delete of ${s.name} started`, () => api.deleteSnapshot(s.id)); }}
                  data-testid={`snapshot-delete-${s.name}`}>Delete</button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
