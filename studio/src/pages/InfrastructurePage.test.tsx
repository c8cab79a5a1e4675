import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Host, Offering } from '../api/types';
import { SessionContext, sessionFor } from '../session';
import { InfrastructurePage } from './InfrastructurePage';

const local: Host = { name: 'local', uri: 'local', stagingDir: '/data/staging', maxConcurrentBackups: 2, maxConcurrentCompressions: -1, stagingCapacityBytes: null, stagingUsedBytes: 0 };
const pinned: Host = { ...local, name: 'kvm-1', uri: 'ssh://root@kvm-1:22', hostKey: 'SHA256:pinnedpinnedpinnedpinnedpinnedpinnedpinned1' };
const crashy: Offering = { name: 'crashy', chainSize: 7, compress: false, compressionLibrary: 'zstd', validate: false, allowQuickRestore: false, allowFileExtraction: false, quiesce: 'skip', strategy: 'bitmap', backupWorkflow: 'backup-and-notify', restoreWorkflow: 'restore', quickRestoreWorkflow: 'quick-restore' };
let posted: unknown;

beforeEach(() => {
  posted = undefined;
  vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
    if ((url === '/api/hosts' || url === '/api/offerings') && init?.method === 'POST') {
      posted = JSON.parse(String(init.body));
      return Promise.resolve(new Response(JSON.stringify(posted), { status: 201 }));
    }
    if (url === '/api/hosts') return Promise.resolve(new Response(JSON.stringify([local, pinned])));
    if (url === '/api/offerings') return Promise.resolve(new Response(JSON.stringify([crashy])));
    return Promise.resolve(new Response('[]'));
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

describe('Infrastructure page hosts', () => {
  it('shows each host\'s compression limit and sends limits and staging capacity when adding one', async () => {
    render(
      <SessionContext.Provider value={sessionFor({ name: 'root', role: 'admin' }, () => {})}>
        <InfrastructurePage />
      </SessionContext.Provider>,
    );
    expect((await screen.findByTestId('host-local')).textContent).toContain('no limit of its own');
    expect(screen.getByTestId('host-key-kvm-1').textContent).toBe(pinned.hostKey);
    expect(screen.getByTestId('host-key-local').textContent).toBe('');

    const set = (field: string, value: string) => fireEvent.change(screen.getByTestId(`host-form-${field}`), { target: { value } });
    set('name', 'kvm-2');
    set('uri', 'ssh://backup@kvm-2:22');
    set('hostKey', 'SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og');
    set('stagingDir', '/var/tmp/bwf-staging');
    set('maxConcurrentCompressions', '1');
    set('stagingCapacityBytes', '20');
    fireEvent.click(screen.getByTestId('host-form-submit'));

    await waitFor(() => expect(posted).toBeDefined());
    expect(posted).toMatchObject({ name: 'kvm-2', hostKey: 'SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og', maxConcurrentBackups: 2, maxConcurrentCompressions: 1, stagingCapacityBytes: 20 * 1024 ** 3 });
  });
});

describe('Infrastructure page offerings', () => {
  it('shows each offering\'s quiesce policy and strategy, and sends the ones chosen when adding one', async () => {
    render(
      <SessionContext.Provider value={sessionFor({ name: 'root', role: 'admin' }, () => {})}>
        <InfrastructurePage />
      </SessionContext.Provider>,
    );
    expect((await screen.findByTestId('offering-crashy')).textContent).toContain('skip');
    expect(screen.getByTestId('offering-crashy').textContent).toContain('bitmap');
    expect(screen.getByTestId('offering-workflows-crashy').textContent).toBe('backup-and-notify / restore / quick-restore');

    fireEvent.change(screen.getByTestId('offering-form-name'), { target: { value: 'strict' } });
    const quiesce = screen.getByTestId('offering-form-quiesce') as HTMLSelectElement;
    expect([...quiesce.options].map((o) => o.value)).toEqual(['prefer', 'require', 'skip']);
    expect(quiesce.value).toBe('prefer');
    fireEvent.change(quiesce, { target: { value: 'require' } });
    const strategy = screen.getByTestId('offering-form-strategy') as HTMLSelectElement;
    expect([...strategy.options].map((o) => o.value)).toEqual(['delta', 'bitmap']);
    expect(strategy.value).toBe('delta');
    fireEvent.change(strategy, { target: { value: 'bitmap' } });
    fireEvent.change(screen.getByTestId('offering-form-backupWorkflow'), { target: { value: 'backup-and-notify' } });
    fireEvent.click(screen.getByTestId('offering-form-submit'));

    await waitFor(() => expect(posted).toBeDefined());
    expect(posted).toMatchObject({ name: 'strict', quiesce: 'require', strategy: 'bitmap', backupWorkflow: 'backup-and-notify' });
    // Workflows left empty are not sent: the server takes the shipped ones.
    expect(posted).not.toHaveProperty('restoreWorkflow');
  });
});
