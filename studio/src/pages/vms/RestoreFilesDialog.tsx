import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { subscribeToEvents } from '../../api/events';
import type { RestoreFilesRequest } from '../../api/types';
import { Modal } from '../../components/Modal';
import { Link } from '../../router';

/**
 * Restores chosen files and folders of a backup: into a running VM through its guest agent (under a guest
 * directory, at their backed-up paths) or onto a directory of the backup's host. Nothing is overwritten
 * unless asked. Once started, the dialog follows the run and links to its view.
 */
export function RestoreFilesDialog({ backupId, vm, volume, paths, onClose }: {
  backupId: string;
  vm?: string;
  volume?: string;
  paths: string[];
  onClose: () => void;
}) {
  const [kind, setKind] = useState<'vm' | 'host'>('vm');
  const [toVm, setToVm] = useState(vm ?? '');
  const [directory, setDirectory] = useState('/');
  const [hostPath, setHostPath] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [run, setRun] = useState<{ id: string; status: string } | null>(null);
  // One key per dialog: a double click on Restore starts one run, not two.
  const [idemKey] = useState(() => crypto.randomUUID());

  useEffect(() => {
    if (!run) return;
    return subscribeToEvents(run.id, (e) => {
      if (e.kind === 'instance' && e.status) setRun((r) => (r ? { ...r, status: String(e.status) } : r));
    });
  }, [run?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const body = (): RestoreFilesRequest => ({
    paths, volume: volume || undefined, overwrite: overwrite || undefined,
    ...(kind === 'vm' ? { toVm: toVm.trim(), targetDirectory: directory.trim() || '/' } : { toHostPath: hostPath.trim() }),
  });
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { instanceId } = await api.restoreFiles(backupId, body(), idemKey);
      setRun({ id: instanceId, status: 'Running' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const ready = kind === 'vm' ? toVm.trim() !== '' : hostPath.trim().startsWith('/');

  return (
    <Modal label="Restore files" testId="restore-files-dialog" error={error} onDismissError={() => setError(undefined)} onClose={onClose}>
      <h3>Restore {paths.length === 1 ? paths[0] : `${paths.length} files and folders`}</h3>
      {paths.length > 1 && <ul className="small" data-testid="restore-files-paths">{paths.map((p) => <li key={p}><code>{p}</code></li>)}</ul>}
      <fieldset className="field" disabled={!!run}>
        <label><input type="radio" checked={kind === 'vm'} onChange={() => setKind('vm')} data-testid="restore-files-kind-vm" /> Into a running VM (guest agent)</label>
        <label><input type="radio" checked={kind === 'host'} onChange={() => setKind('host')} data-testid="restore-files-kind-host" /> Onto a directory of the backup's host</label>
      </fieldset>
      {kind === 'vm' ? (
        <>
          <label className="field"><span>VM</span>
            <input value={toVm} disabled={!!run} onChange={(e) => setToVm(e.target.value)} data-testid="restore-files-vm" /></label>
          <label className="field"><span>Guest directory they go under, at their backed-up paths (/ = original places)</span>
            <input value={directory} disabled={!!run} onChange={(e) => setDirectory(e.target.value)} data-testid="restore-files-directory" /></label>
        </>
      ) : (
        <label className="field"><span>Absolute directory on the host (owners, modes, times and symlinks are kept)</span>
          <input value={hostPath} disabled={!!run} onChange={(e) => setHostPath(e.target.value)} placeholder="/var/tmp/restored" data-testid="restore-files-host-path" /></label>
      )}
      <label className="field"><span><input type="checkbox" checked={overwrite} disabled={!!run} onChange={(e) => setOverwrite(e.target.checked)} data-testid="restore-files-overwrite" /> Replace files that exist (otherwise nothing is written when one exists)</span></label>
      {run && (
        <div className="banner banner-ok" data-testid="restore-files-started">
          Restore {run.status.toLowerCase()}: <Link to={['runs', run.id]} data-testid="restore-files-run">follow the run</Link>
        </div>
      )}
      <div className="modal-actions">
        <button className="btn btn-ghost" onClick={onClose} data-testid="restore-files-dismiss">{run ? 'Close' : 'Cancel'}</button>
        {!run && <button className="btn btn-danger" disabled={busy || !ready} onClick={() => void start()} data-testid="restore-files-confirm">Restore</button>}
      </div>
    </Modal>
  );
}
