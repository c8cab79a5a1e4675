import { useState } from 'react';
import type { Backup, RestoreRequest } from '../../api/types';
import { Modal } from '../../components/Modal';

/**
 * Confirms a restore: in place by default, or to a new VM; or one disk of the backup written over a disk
 * of another existing VM (the server takes `toVm` only with the `volume` it restores).
 */
export function RestoreDialog({ backup, quick, busy, error, onConfirm, onClose }: {
  backup: Backup;
  quick: boolean;
  busy: boolean;
  error?: unknown;
  onConfirm: (r: RestoreRequest) => void;
  onClose: () => void;
}) {
  const [toVm, setToVm] = useState('');
  const [volume, setVolume] = useState(backup.volumes[0]?.target ?? '');
  const [asNewVm, setAsNewVm] = useState('');
  const other = toVm.trim() !== '';
  return (
    <Modal label="Restore" testId="restore-dialog" error={error} onClose={onClose}>
      <h3>{quick ? 'Quick restore' : 'Restore'} {backup.vm} from {new Date(backup.createdAt).toLocaleString()}</h3>
      <p className="muted small">
        {quick
          ? 'Quick restore starts the VM on the backup files at once and moves the data back while it runs.'
          : 'Restore copies the backup back to the VM disks; the VM is stopped while it runs.'}
      </p>
      {!quick && (
        <>
          <label className="field"><span>Overwrite a disk of another existing VM (empty = restore {backup.vm})</span>
            <input value={toVm} disabled={!!asNewVm} onChange={(e) => setToVm(e.target.value)} data-testid="restore-toVm" placeholder={backup.vm} /></label>
          {other && (
            <label className="field"><span>Disk of the backup to write there</span>
              <select value={volume} onChange={(e) => setVolume(e.target.value)} data-testid="restore-volume">
                {backup.volumes.map((v) => <option key={v.target} value={v.target}>{v.target}</option>)}
              </select></label>
          )}
          <label className="field"><span>…or create a new VM named</span>
            <input value={asNewVm} disabled={other} onChange={(e) => setAsNewVm(e.target.value)} data-testid="restore-asNewVm" placeholder={`${backup.vm}-restored`} /></label>
        </>
      )}
      <div className="modal-actions">
        <button className="btn btn-ghost" onClick={onClose} data-testid="restore-dismiss">Cancel</button>
        <button className="btn btn-danger" disabled={busy || (other && !volume)} data-testid="restore-confirm"
          onClick={() => onConfirm({
            backupId: backup.id, quick: quick || undefined,
            toVm: other ? toVm.trim() : undefined, volume: other ? volume : undefined, asNewVm: asNewVm.trim() || undefined,
          })}>
          {quick ? 'Quick restore' : 'Restore'}
        </button>
      </div>
    </Modal>
  );
}
