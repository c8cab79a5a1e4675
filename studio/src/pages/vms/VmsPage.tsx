import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/endpoints';
import { subscribeToEvents } from '../../api/events';
import type { Backup, RestoreRequest } from '../../api/types';
import { backupSeries, groupChains } from '../../backups/chains';
import { StatusBadge } from '../../components/Badges';
import { Empty, ErrorBanner, Loading } from '../../components/ErrorBanner';
import { LineChart } from '../../components/LineChart';
import { formatBytes, formatDuration } from '../../format';
import { Link } from '../../router';
import { useSession } from '../../session';
import { useLoad } from '../../useLoad';
import { AssignForm } from './AssignForm';
import { BackupTimeline } from './BackupTimeline';
import { RestoreDialog } from './RestoreDialog';
import { SnapshotList } from './SnapshotList';
import { FileBrowser } from './FileBrowser';

/** VMs on the left; the selected VM's backup chains, charts and restore actions on the right. */
export function VmsPage({ selected }: { selected?: string }) {
  const vms = useLoad(() => api.vms(), []);
  // The hosts answer in any order: sorted by name the list stays put between loads.
  const sorted = useMemo(() => vms.data && [...vms.data].sort((a, b) => a.name.localeCompare(b.name) || a.host.localeCompare(b.host)), [vms.data]);
  return (
    <div className="page split" data-testid="vms-page">
      <aside className="list-pane">
        <h2>VMs</h2>
        <ErrorBanner error={vms.error} onRetry={vms.reload} />
        {vms.loading && !vms.data && <Loading what="VMs" />}
        {sorted?.length === 0 && <Empty>No VMs found on the hosts.</Empty>}
        <ul className="pick-list" data-testid="vm-list">
          {sorted?.map((v) => (
            <li key={v.name} className={v.name === selected ? 'on' : ''}>
              <Link to={['vms', v.name]} data-testid={`vm-${v.name}`}>
                <strong>{v.name}</strong> <StatusBadge status={v.state} />
                <div className="muted small">{v.host} · {v.offering ?? 'no offering'}</div>
              </Link>
            </li>
          ))}
        </ul>
      </aside>
      <section className="detail-pane">
        {selected ? <VmBackups key={selected} vm={selected} onAssigned={vms.reload} running={vms.data?.find((v) => v.name === selected)?.state === 'running'}
          offering={vms.data ? vms.data.find((v) => v.name === selected)?.offering || null : { unknown: vms.error ? 'failed' : 'loading' }} />
          : <Empty>Select a VM to see its backup chains.</Empty>}
      </section>
    </div>
  );
}

/**
 * The VM's offering as far as the page knows it: its name, null when the loaded VM list says it has
 * none, or why that is not known yet. Only a loaded list may say "not assigned".
 */
type OfferingInfo = string | null | { unknown: 'loading' | 'failed' };

const offeringText = (o: OfferingInfo) =>
  typeof o === 'string' ? `offering ${o}`
    : o === null ? 'not assigned to an offering'
      : o.unknown === 'loading' ? 'loading offering…' : 'offering unknown (the VM list did not load)';

function VmBackups({ vm, offering: info, onAssigned, running }: { vm: string; offering: OfferingInfo; onAssigned: () => void; running: boolean }) {
  const known = info === null || typeof info === 'string';
  const offering = known ? info : null;
  const { canOperate } = useSession();
  const backups = useLoad(() => api.backups(vm), [vm]);
  const offerings = useLoad(api.offerings, []);
  const [restore, setRestore] = useState<{ backup: Backup; quick: boolean } | null>(null);
  const [result, setResult] = useState<{ text: string; instanceId: string } | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [filesOf, setFilesOf] = useState<string | null>(null);
  const chains = useMemo(() => groupChains(backups.data ?? []), [backups.data]);
  const series = useMemo(() => backupSeries(backups.data ?? []), [backups.data]);
  const off = offerings.data?.find((o) => o.name === offering);
  // Quick restore is offered once the offering says it may be used, not while it loads.
  const quickAllowed = known && (offering === null || off?.allowQuickRestore === true);

  // When an action's run ends, the backups and snapshots it made, validated, restored, reverted or deleted are shown
  // without a reload: the one follower of the page's runs; the snapshot list reads again when `runsEnded` changes.
  const followed = result?.instanceId;
  const [runsEnded, setRunsEnded] = useState(0);
  useEffect(() => {
    if (!followed) return;
    return subscribeToEvents(followed, (e) => {
      if (e.kind !== 'instance' || !['finished', 'faulted', 'cancelled'].includes(String(e.status).toLowerCase())) return;
      backups.reload();
      setRunsEnded((n) => n + 1);
    });
  }, [followed]); // eslint-disable-line react-hooks/exhaustive-deps

  const start = async (what: string, call: () => Promise<{ instanceId: string }>) => {
    setBusy(true);
    setError(undefined);
    try {
      const { instanceId } = await call();
      setResult({ text: what, instanceId });
      setRestore(null);
      backups.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // One idempotency key per dialog: a double click on confirm cannot start two restores.
  const [idemKey, setIdemKey] = useState('');
  const openRestore = (backup: Backup, quick: boolean) => { setIdemKey(crypto.randomUUID()); setRestore({ backup, quick }); };
  const removeBackup = async (b: Backup) => {
    if (!confirm(`Delete backup ${b.id}? Incrementals that depend on it are handled by the server's chain rules.`)) return;
    setError(undefined);
    try { await api.deleteBackup(b.id); backups.reload(); } catch (e) { setError(e); }
  };
  const doRestore = (r: RestoreRequest) => start(r.quick ? 'Quick restore started' : 'Restore started', () => api.restore(r, idemKey));

  return (
    <div data-testid={`vm-detail-${vm}`}>
      <div className="page-head">
        <h1>{vm}</h1>
        <span className="muted" data-testid="vm-offering">{offeringText(info)}</span>
        <span className="spacer" />
        {/* The form starts from the current offering: not offered before that is known. */}
        {canOperate && known && <AssignForm vm={vm} offering={offering} offerings={offerings.data ?? []} onDone={onAssigned} onError={setError} />}
        {canOperate && (
          <>
            <button className="btn" disabled={busy} onClick={() => void start('Backup started', () => api.startBackup(vm))} data-testid="backup-now">Back up now</button>
            <button className="btn btn-ghost" disabled={busy} onClick={() => void start('Full backup started', () => api.startBackup(vm, true))} data-testid="backup-full">Full backup</button>
          </>
        )}
      </div>
      {result && (
        <div className="banner banner-ok" data-testid="action-started">
          {result.text}: <Link to={['runs', result.instanceId]} data-testid="action-instance">follow the run</Link>
        </div>
      )}
      {!restore && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
      <ErrorBanner error={backups.error} onRetry={backups.reload} />
      {backups.loading && !backups.data && <Loading what="backups" />}
      {backups.data && (
        <>
          <div className="charts">
            <LineChart title="Backup duration" points={series.map((p) => ({ at: p.at, value: p.seconds, mark: p.type }))} format={formatDuration} testId="chart-duration" />
            <LineChart title="Stored size" points={series.map((p) => ({ at: p.at, value: p.bytes, mark: p.type }))} format={formatBytes} testId="chart-size" />
          </div>
          {chains.length === 0 ? <Empty>No backups of {vm} yet.</Empty> : (
            <BackupTimeline chains={chains} canOperate={canOperate} quickAllowed={quickAllowed} onRestore={openRestore}
              onValidate={(b) => void start('Validation started', () => api.validateBackup(b.id))} onDelete={(b) => void removeBackup(b)}
              onFiles={off?.allowFileExtraction ? (b) => setFilesOf(b.id) : undefined} />
          )}
        </>
      )}
      <SnapshotList vm={vm} vmRunning={running} canOperate={canOperate} runsEnded={runsEnded} onStarted={(text, instanceId) => setResult({ text, instanceId })} />
      {filesOf && <FileBrowser backupId={filesOf} vm={vm} onClose={() => setFilesOf(null)} />}
      {restore && <RestoreDialog backup={restore.backup} quick={restore.quick} busy={busy} error={error}
        onConfirm={(r) => void doRestore(r)} onClose={() => { setRestore(null); setError(undefined); }} />}
    </div>
  );
}
