import { useState } from 'react';
import type { Backup, RestoreRequest } from '../../api/types';

/** Confirms a restore; in place by default, or to another or a new VM. */
export function RestoreDialog({ backup, quick, busy, onConfirm, onClose }: {
  backup: Backup;
  quick: boolean;
  busy: boolean;
  onConfirm: (r: RestoreRequest) => void;
  onClose: () => void;
}) {
  const [toVm, setToVm] = useState('');
  const [asNewVm, setAsNewVm] = useState('');
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal card" role="dialog" aria-label="Restore" data-testid="restore-dialog" onClick={(e) => e.stopPropagation()}>
        <h3>{quick ? 'Quick restore' : 'Restore'} {backup.vm} from {new Date(backup.createdAt).toLocaleString()}</h3>
        <p className="muted small">
          {quick
            ? 'Quick restore starts the VM on the backup files at once and moves the data back while it runs.'
            : 'Restore copies the backup back to the VM disks; the VM is stopped while it runs.'}
        </p>
        <label className="field"><span>Overwrite another existing VM (empty = {backup.vm})</span>
          <input value={toVm} disabled={!!asNewVm} onChange={(e) => setToVm(e.target.value)} data-testid="restore-toVm" placeholder={backup.vm} /></label>
        <label className="field"><span>…or create a new VM named</span>
          <input value={asNewVm} disabled={!!toVm} onChange={(e) => setAsNewVm(e.target.value)} data-testid="restore-asNewVm" placeholder={`${backup.vm}-restored`} /></label>
        <div className="modal-actions">
          <button className="btn btn-ghost" onClick={onClose} data-testid="restore-dismiss">Cancel</button>
          <button className="btn btn-danger" disabled={busy} data-testid="restore-confirm"
            onClick={() => onConfirm({ backupId: backup.id, quick: quick || undefined, toVm: toVm.trim() || undefined, asNewVm: asNewVm.trim() || undefined })}>
            {quick ? 'Quick restore' : 'Restore'}
          </button>
        </div>
      </div>
    </div>
  );
}
