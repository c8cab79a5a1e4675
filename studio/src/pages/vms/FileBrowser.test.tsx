import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileBrowser } from './FileBrowser';

const entry = (name: string, type: string, size = 0) =>
  ({ name, type, size, mode: '0644', uid: 0, gid: 0, modifiedAt: '2026-12-01T03:00:00Z', target: type === 'symlink' ? '/etc/x' : null });
const listings: Record<string, unknown> = {
  '/': { volume: 'vda', path: '/', total: 3, fileSystems: [{ name: 'vda', type: 'ext4', size: 1, browsable: true, problem: null }],
    entries: [entry('etc', 'directory'), entry('f1', 'file', 2048), entry('odd\\x01', 'fifo')] },
  '/etc': { volume: 'vda', path: '/etc', total: 1, fileSystems: [], entries: [entry('hosts', 'file', 10)] },
};
let fetched: string[] = [];
let posted: { url: string; body: unknown; headers: Record<string, string> }[] = [];

beforeEach(() => {
  fetched = [];
  posted = [];
  vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      posted.push({ url, body: JSON.parse(String(init.body)), headers: Object.fromEntries(new Headers(init.headers).entries()) });
      return Promise.resolve(new Response(JSON.stringify({ instanceId: 'run-1' }), { status: 202 }));
    }
    fetched.push(url);
    const path = new URL(url, 'http://x').searchParams.get('path') ?? '/';
    return Promise.resolve(new Response(JSON.stringify(listings[path])));
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

describe('File browser', () => {
  it('lists a backup directory with sizes, opens a directory and shows breadcrumbs; special files get no download', async () => {
    render(<FileBrowser backupId="b1" onClose={() => {}} />);
    expect((await screen.findByTestId('file-f1')).textContent).toContain('2.0 KiB');
    expect(screen.queryByTestId('download-odd\\x01')).toBeNull();
    expect(screen.getByTestId('download-f1')).toBeTruthy();
    fireEvent.click(screen.getByText('etc/'));
    expect((await screen.findByTestId('file-hosts')).textContent).toContain('10 B');
    expect(screen.getByTestId('file-breadcrumbs').textContent).toContain('vda / etc');
    expect(fetched[1]).toBe('/api/backups/b1/files?path=%2Fetc&limit=10000');
  });

  it('downloads the open folder as a tar of its own path, a row directory as tar and a file as content', async () => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() }));
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { saved.push(this.download); });
    render(<FileBrowser backupId="b1" onClose={() => {}} />);
    fireEvent.click(await screen.findByTestId('download-etc'));
    await waitFor(() => expect(fetched).toContain('/api/backups/b1/files/archive?path=%2Fetc'));
    fireEvent.click(screen.getByText('etc/'));
    await screen.findByTestId('file-hosts');
    fetched = [];
    fireEvent.click(screen.getByTestId('download-folder'));
    await waitFor(() => expect(fetched).toEqual(['/api/backups/b1/files/archive?path=%2Fetc']));
    fireEvent.click(screen.getByTestId('download-hosts'));
    await waitFor(() => expect(fetched[1]).toBe('/api/backups/b1/files/content?path=%2Fetc%2Fhosts'));
    await waitFor(() => expect(saved).toEqual(['etc.tar', 'etc.tar', 'hosts']));
    click.mockRestore();
  });

  it('restores files chosen in several directories onto a host path and links to the started run', async () => {
    render(<FileBrowser backupId="b1" vm="vm1" onClose={() => {}} />);
    await screen.findByTestId('file-f1');
    expect(screen.queryByTestId('select-odd\\x01')).toBeNull();
    expect((screen.getByTestId('file-restore') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('select-f1'));
    fireEvent.click(screen.getByText('etc/'));
    fireEvent.click(await screen.findByTestId('select-hosts'));
    fireEvent.click(screen.getByTestId('file-restore'));
    expect((screen.getByTestId('restore-files-vm') as HTMLInputElement).value).toBe('vm1');
    fireEvent.click(screen.getByTestId('restore-files-kind-host'));
    expect((screen.getByTestId('restore-files-confirm') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId('restore-files-host-path'), { target: { value: '/var/tmp/r' } });
    fireEvent.click(screen.getByTestId('restore-files-overwrite'));
    fireEvent.click(screen.getByTestId('restore-files-confirm'));
    expect((await screen.findByTestId('restore-files-run')).getAttribute('href')).toBe('#/runs/run-1');
    expect(posted).toHaveLength(1);
    expect(posted[0].url).toBe('/api/backups/b1/files/restore');
    expect(posted[0].body).toEqual({ paths: ['/f1', '/etc/hosts'], toHostPath: '/var/tmp/r', overwrite: true });
    expect(posted[0].headers['idempotency-key']).toBeTruthy();
  });

  it('restores into the VM under a guest directory by default', async () => {
    render(<FileBrowser backupId="b1" vm="vm1" onClose={() => {}} />);
    fireEvent.click(await screen.findByTestId('select-etc'));
    fireEvent.click(screen.getByTestId('file-restore'));
    fireEvent.change(screen.getByTestId('restore-files-directory'), { target: { value: '/restored' } });
    fireEvent.click(screen.getByTestId('restore-files-confirm'));
    await screen.findByTestId('restore-files-started');
    expect(posted[0].body).toEqual({ paths: ['/etc'], toVm: 'vm1', targetDirectory: '/restored' });
  });
});
