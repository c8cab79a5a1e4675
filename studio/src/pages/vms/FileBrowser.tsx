import { useCallback, useEffect, useState } from 'react';
import { describeError, request } from '../../api/client';
import { formatBytes, formatTime } from '../../format';
import { RestoreFilesDialog } from './RestoreFilesDialog';
import './FileBrowser.css';

/** One entry of `GET /api/backups/{id}/files` (names escaped by the server: `\xNN`, `\\`). */
export interface FileEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'blockDevice' | 'charDevice' | 'fifo' | 'socket' | 'other';
  size: number;
  mode: string;
  uid: number;
  gid: number;
  modifiedAt: string;
  target: string | null;
}

interface Listing {
  volume: string;
  path: string;
  total: number;
  entries: FileEntry[];
  fileSystems: { name: string; type: string; size: number; browsable: boolean; problem: string | null }[];
}

const pageSize = 500;
const enc = encodeURIComponent;
const filesUrl = (id: string, what: string, volume: string | undefined, path: string) =>
  `/api/backups/${enc(id)}/files${what}?${volume ? `volume=${enc(volume)}&` : ''}path=${enc(path)}`;
const join = (dir: string, name: string) => (dir === '/' ? '' : dir) + '/' + name;

/** Saves a file or tar the API streams; fetched with the key header, which a plain link could not send. */
async function download(url: string, name: string) {
  const res = await request<Response>('GET', url, { raw: true, headers: { Accept: '*/*' } });
  const blob = await res.blob();
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
  const [path, setPath] = useState('/');
  const [listing, setListing] = useState<Listing | null>(null);
  const [shown, setShown] = useState(pageSize);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [restoring, setRestoring] = useState(false);

  const load = useCallback(async (v: string | undefined, p: string) => {
    setBusy(true);
    setError(null);
    try {
      const l = await request<Listing>('GET', filesUrl(backupId, '', v, p) + `&limit=10000`);
      setListing(l);
      setPath(l.path);
      setShown(pageSize);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }, [backupId]);

  useEffect(() => { void load(volume, path); }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const open = (p: string) => void load(volume, p);
  const crumbs = path === '/' ? [] : path.slice(1).split('/');
  const save = (e: FileEntry) => void download(
    filesUrl(backupId, e.type === 'directory' ? '/archive' : '/content', volume, join(path, e.name)),
    e.type === 'directory' ? `${e.name}.tar` : e.name).catch((err) => setError(describeError(err)));

  const toggle = (p: string) => setSelected((s) => (s.includes(p) ? s.filter((x) => x !== p) : [...s, p]));

  return (
    <>
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal file-browser" onClick={(e) => e.stopPropagation()} data-testid="file-browser">
        <header className="file-browser-head">
          <strong>Files of backup <code>{backupId.slice(0, 12)}</code></strong>
          {listing && listing.fileSystems.length > 1 && (
            <select value={volume ?? listing.volume} onChange={(e) => { setVolume(e.target.value); void load(e.target.value, '/'); }} data-testid="file-volume">
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
          {path !== '/' && <button className="btn btn-small btn-ghost" onClick={() => save({ name: crumbs[crumbs.length - 1], type: 'directory' } as FileEntry)}>Download folder (.tar)</button>}
        </nav>
        {error && <div className="error-text" data-testid="file-error">{error}</div>}
        {busy && !listing && <div className="muted small">Opening the backup…</div>}
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
                  <td>{(e.type === 'file' || e.type === 'directory') && <button className="btn btn-small btn-ghost" onClick={() => save(e)} data-testid={`download-${e.name}`}>Download</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {listing && shown < listing.entries.length && (
          <button className="btn btn-small" onClick={() => setShown(shown + pageSize)}>Show more ({listing.entries.length - shown} left)</button>
        )}
        {listing && listing.total > listing.entries.length && <div className="muted small">Showing the first {listing.entries.length} of {listing.total} entries.</div>}
      </div>
    </div>
    {restoring && <RestoreFilesDialog backupId={backupId} vm={vm} volume={volume} paths={selected} onClose={() => setRestoring(false)} />}
    </>
  );
}
