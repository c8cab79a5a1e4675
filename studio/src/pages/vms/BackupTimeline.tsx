import type { Backup } from '../../api/types';
import type { BackupChain } from '../../backups/chains';
import { StatusBadge } from '../../components/Badges';
import { formatBytes, formatDuration, formatTime } from '../../format';
import { Screenshot } from './Screenshot';

interface Props {
  chains: BackupChain[];
  canOperate: boolean;
  quickAllowed: boolean;
  onRestore: (b: Backup, quick: boolean) => void;
  onValidate: (b: Backup) => void;
  onDelete: (b: Backup) => void;
}

const typeLabel: Record<string, string> = { full: 'Full', incremental: 'Incr.', isolated: 'Isolated' };

/** Chains newest first, each a left-to-right timeline: the full, then its incrementals. */
export function BackupTimeline({ chains, canOperate, quickAllowed, onRestore, onValidate, onDelete }: Props) {
  return (
    <div className="chains">
      {[...chains].reverse().map((c) => (
        <section key={c.id} className={`chain ${c.broken ? 'chain-broken' : ''}`} data-testid={`chain-${c.id}`}>
          <header className="chain-head">
            <strong>{c.isolated ? 'Isolated backup' : 'Chain'}</strong> <code>{c.id.slice(0, 12)}</code>
            <span className="muted small">started {formatTime(c.startedAt)} · {c.backups.length} backup{c.backups.length > 1 ? 's' : ''} · {formatBytes(c.storedSize)} stored</span>
            {c.broken && <span className="badge badge-bad" title="The chain's full backup is missing">broken chain</span>}
          </header>
          <ol className="timeline">
            {c.backups.map((b) => (
              <li key={b.id} className={`backup backup-${b.type} backup-state-${b.state.toLowerCase()}`} data-testid={`backup-${b.id}`} data-state={b.state}>
                <div className="backup-top">
                  <span className={`backup-type type-${b.type}`}>{typeLabel[b.type]}</span>
                  <StatusBadge status={b.state} testId={`backup-state-${b.id}`} />
                </div>
                <div className="small">{formatTime(b.createdAt)}</div>
                <div className="small muted">
                  {formatBytes(b.storedSize)} of {formatBytes(b.virtualSize)}
                  {b.completedAt && ` · ${formatDuration((Date.parse(b.completedAt) - Date.parse(b.createdAt)) / 1000)}`}
                </div>
                {b.error && <div className="error-text" title={b.error} data-testid={`backup-error-${b.id}`}>{b.error.length > 80 ? b.error.slice(0, 80) + '…' : b.error}</div>}
                <div className="backup-flags small">
                  {b.quiesced && <span title="File systems were frozen">quiesced</span>}
                  {b.compressed && <span>compressed</span>}
                </div>
                {b.validation && (
                  <div className="backup-validation">
                    <StatusBadge status={b.validation.result} testId={`backup-validation-${b.id}`} />
                    {b.validation.screenshotUrl && <Screenshot backupId={b.id} />}
                  </div>
                )}
                {canOperate && b.state === 'BackedUp' && (
                  <div className="backup-actions">
                    <button className="btn btn-small" onClick={() => onRestore(b, false)} data-testid={`restore-${b.id}`}>Restore</button>
                    {quickAllowed && <button className="btn btn-small" onClick={() => onRestore(b, true)} data-testid={`quick-restore-${b.id}`}>Quick restore</button>}
                  </div>
                )}
                {canOperate && (
                  <div className="backup-actions secondary">
                    {b.state === 'BackedUp' && <button className="btn btn-small btn-ghost" onClick={() => onValidate(b)} data-testid={`validate-${b.id}`}>Validate</button>}
                    {b.state !== 'Expunged' && <button className="btn btn-small btn-ghost btn-danger" onClick={() => onDelete(b)} data-testid={`backup-delete-${b.id}`}>Delete</button>}
                  </div>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
