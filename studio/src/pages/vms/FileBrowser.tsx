import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { formatBytes, formatTime } from '../../format';
import { useLoad } from '../../useLoad';
import { RestoreFilesDialog } from './RestoreFilesDialog';
import './FileBrowser.css';

const pageSize = 500;
const join = (dir: string, name: string) => (dir === '/' ? '' : dir) + '/' + name;

/** Saves a file or tar the API streams (a blob: the request carries the key header, which a plain link could not send). */
async function saveAs(res: Promise<Response>, name: string) {
  const blob = await (await res).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** A backup's files: breadcrumbs, directories to open, files and directories (as tar) to download, and files and
 * directories chosen (across directories) to restore into a VM (default: the backup's own, `vm`) or onto a host path. */
export function FileBrowser({ backupId, vm, onClose }: { backupId: string; vm?: string; onClose: () => void }) {
  const [volume, setVolume] = useState<string | undefined>(undefined);
  const [asked, setAsked] = useState('/');
  const files = useLoad(() => api.backupFiles(backupId, asked, volume), [backupId, asked, volume]);
  const listing = files.data;
  const path = listing?.path ?? asked;
  const [shown, setShown] = useState(pageSize);
  const [error, setError] = useState<unknown>();
  useEffect(() => setShown(pageSize), [listing]);
  const [selected, setSelected] = useState<string[]>([]);
  const [restoring, setRestoring] = useState(false);

  const open = (p: string) => setAsked(p);
  const crumbs = path === '/' ? [] : path.slice(1).split('/');
  // `at` is the full path of what is saved: a row's entry under the open directory, or the open directory itself.
  const save = (at: string, name: string, asTar: boolean) => void saveAs(
    api.backupFileDownload(backupId, asTar ? 'archive' : 'content', at, volume), asTar ? `${name}.tar` : name).catch(setError);

  const toggle = (p: string) => setSelected((s) => (s.includes(p) ? s.filter((x) => x !== p) : [...s, p]));

  return (
    <>
    <Modal label="Backup files" testId="file-browser" className="file-browser" error={error} onDismissError={() => setError(undefined)} onClose={onClose}>
      <header className="file-browser-head">
        <strong>Files of backup <code>{backupId.slice(0, 12)}</code></strong>
        {listing && listing.fileSystems.length > 1 && (
          <select value={volume ?? listing.volume} onChange={(e) => { setVolume(e.target.value); setAsked('/'); }} data-testid="file-volume">
            {listing.fileSystems.map((f) => <option key={f.name} value={f.name} disabled={!f.browsable}>{f.name} ({f.type || 'unknown'})</option>)}
          </select>
        )}
        <span className="spacer" />
        <button className="btn btn-small" disabled={selected.length === 0} onClick={() => setRestoring(true)} data-testid="file-restore">
          Restore…{selected.length > 0 ? ` (${selected.length})` : ''}</button>
        <button className="btn btn-small btn-ghost" onClick={onClose}>Close</button>
      </header>
      <nav className="breadcrumbs" data-testid="file-breadcrumbs">
        <a href="#" onClick={(e) => { e.preventDefault(); open('/'); }}>{listing?.volume ?? volume ?? 'root'}</a>
        {crumbs.map((c, i) => (
          <span key={i}> / <a href="#" onClick={(e) => { e.preventDefault(); open('/' + crumbs.slice(0, i + 1).join('/')); }}>{c}</a></span>
        ))}
        {path !== '/' && <button className="btn btn-small btn-ghost" onClick={() => save(path, crumbs[crumbs.length - 1], true)} data-testid="download-folder">Download folder (.tar)</button>}
      </nav>
      <ErrorBanner error={files.error} onRetry={files.reload} />
      {files.loading && !listing && <div className="muted small">Opening the backup…</div>}
      {listing && (
        <table className="table file-table">
          <thead><tr><th /><th>Name</th><th>Size</th><th>Mode</th><th>Owner</th><th>Modified</th><th /></tr></thead>
          <tbody>
            {listing.entries.slice(0, shown).map((e) => (
              <tr key={e.name} data-testid={`file-${e.name}`}>
                <td>{(e.type === 'file' || e.type === 'directory') && (
                  <input type="checkbox" aria-label={`Select ${e.name}`} checked={selected.includes(join(path, e.name))}
                    onChange={() => toggle(join(path, e.name))} data-testid={`select-${e.name}`} />)}</td>
                <td>
                  {e.type === 'directory'
                    ? <a href="#" onClick={(ev) => { ev.preventDefault(); open(join(path, e.name)); }}>{e.name}/</a>
                    : <span>{e.name}{e.target !== null && <span className="muted"> → {e.target}</span>}</span>}
                  {e.type !== 'file' && e.type !== 'directory' && <span className="muted small"> ({e.type})</span>}
                </td>
                <td>{e.type === 'file' ? formatBytes(e.size) : ''}</td>
                <td><code>{e.mode}</code></td>
                <td>{e.uid}:{e.gid}</td>
                <td className="small">{formatTime(e.modifiedAt)}</td>
                <td>{(e.type === 'file' || e.type === 'directory') && <button className="btn btn-small btn-ghost" onClick={() => save(join(path, e.name), e.name, e.type === 'directory')} data-testid={`download-${e.name}`}>Download</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {listing && shown < listing.entries.length && (
        <button className="btn btn-small" onClick={() => setShown(shown + pageSize)}>Show more ({listing.entries.length - shown} left)</button>
      )}
      {listing && listing.total > listing.entries.length && <div className="muted small">Showing the first {listing.entries.length} of {listing.total} entries.</div>}
    </Modal>
    {restoring && <RestoreFilesDialog backupId={backupId} vm={vm} volume={volume} paths={selected} onClose={() => setRestoring(false)} />}
    </>
  );
}
