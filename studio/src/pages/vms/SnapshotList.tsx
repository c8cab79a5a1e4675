import { useState } from 'react';
import { request } from '../../api/client';
import { StatusBadge } from '../../components/Badges';
import { Empty, ErrorBanner } from '../../components/ErrorBanner';
import { formatTime } from '../../format';
import { useLoad } from '../../useLoad';

/** A disk-only VM snapshot as GET /api/snapshots returns it (docs/api.md). */
export interface VmSnapshot {
  id: string;
  vm: string;
  host: string;
  name: string;
  state: 'Creating' | 'Ready' | 'Removed' | 'Deleted' | 'Error';
  createdAt: string;
  quiesced: boolean;
  vmWasRunning: boolean;
  error?: string | null;
  disks: { target: string; image: string; overlay: string }[];
}

type Started = { instanceId: string };
const enc = encodeURIComponent;
const snapshotApi = {
  list: (vm: string) => request<VmSnapshot[]>('GET', `/api/snapshots?vm=${enc(vm)}`),
  take: (vm: string) => request<Started>('POST', '/api/snapshots', { body: { vm } }),
  revert: (id: string) => request<Started>('POST', `/api/snapshots/${enc(id)}/revert`),
  remove: (id: string) => request<Started>('DELETE', `/api/snapshots/${enc(id)}`),
};

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
  const snapshots = useLoad(() => snapshotApi.list(vm), [vm, runsEnded]);
  const [error, setError] = useState<unknown>();
  const act = async (text: string, call: () => Promise<Started>) => {
    setError(undefined);
    try { onStarted(text, (await call()).instanceId); snapshots.reload(); } catch (e) { setError(e); }
  };
  const shown = (snapshots.data ?? []).filter((s) => s.state !== 'Deleted');
  return (
    <section className="snapshots" data-testid="snapshots">
      <div className="page-head">
        <h2>Snapshots</h2>
        <span className="spacer" />
        {canOperate && <button className="btn btn-small" onClick={() => void act('Snapshot started', () => snapshotApi.take(vm))} data-testid="snapshot-take">Take snapshot</button>}
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
                  onClick={() => void act(`Revert to ${s.name} started`, () => snapshotApi.revert(s.id))} data-testid={`snapshot-revert-${s.name}`}>Revert</button>
                <button className="btn btn-small btn-ghost btn-danger"
                  onClick={() => { if (confirm(`Delete snapshot ${s.name}?`)) void act(`Delete of ${s.name} started`, () => snapshotApi.remove(s.id)); }}
                  data-testid={`snapshot-delete-${s.name}`}>Delete</button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
