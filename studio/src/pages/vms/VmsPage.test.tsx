import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent, Vm } from '../../api/types';
import { SessionContext, sessionFor } from '../../session';
import { VmsPage } from './VmsPage';

const vm = (offering: string | null): Vm => ({ name: 'web-1', uuid: 'u', host: 'local', state: 'running', offering, repository: offering ? 'default' : null, disks: [] });

/** The event handler of the run the page follows (the real stream needs a server). */
let runEvents: ((e: RunEvent) => void) | undefined;
vi.mock('../../api/events', () => ({ subscribeToEvents: (_id: string, onEvent: (e: RunEvent) => void) => { runEvents = onEvent; return () => {}; } }));

/** The answer to GET /api/snapshots?vm=web-1. */
let snapshots: unknown[] = [];

/** The answer to GET /api/vms, held back until the test settles it. */
let vmList: { resolve: (r: Response) => void };

beforeEach(() => {
  vi.stubGlobal('fetch', vi.fn((url: string) => {
    if (url === '/api/vms') return new Promise<Response>((resolve) => { vmList = { resolve }; });
    if (url === '/api/backups?vm=web-1') return Promise.resolve(new Response('[]'));
    if (url === '/api/snapshots?vm=web-1') return Promise.resolve(new Response(JSON.stringify(snapshots)));
    if (url === '/api/snapshots/s-1/revert') return Promise.resolve(new Response(JSON.stringify({ instanceId: 'i-revert' }), { status: 202 }));
    if (url === '/api/offerings') return Promise.resolve(new Response(JSON.stringify([{ name: 'nightly', chainSize: 7, compress: false, validate: false, allowQuickRestore: true, allowFileExtraction: false }])));
    return Promise.resolve(new Response('{}', { status: 404 }));
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); snapshots = []; });

function renderVm() {
  render(
    <SessionContext.Provider value={sessionFor({ name: 'op', role: 'operator' }, () => {})}>
      <VmsPage selected="web-1" />
    </SessionContext.Provider>,
  );
}

/** The VM's page while its list entry is still on the way: neither "assigned" nor "not assigned". */
async function whileTheListLoads() {
  const detail = await screen.findByTestId('vm-detail-web-1');
  await screen.findByText(/No backups of web-1 yet/); // the detail's own data is there, the list is not
  expect(detail.textContent).not.toMatch(/not assigned/);
  expect(screen.getByTestId('vm-offering').textContent).toMatch(/loading/i);
  expect(screen.queryByTestId('assign-open')).toBeNull();
}

describe('VM page offering', () => {
  it('shows a loading state until the VM list is there, then "not assigned" for an unassigned VM', async () => {
    renderVm();
    await whileTheListLoads();
    vmList.resolve(new Response(JSON.stringify([vm(null)])));
    await waitFor(() => expect(screen.getByTestId('vm-offering').textContent).toBe('not assigned to an offering'));
    expect(screen.getByTestId('assign-open').textContent).toBe('Assign offering');
  });

  it('never says "not assigned" for an assigned VM, not even while loading', async () => {
    renderVm();
    await whileTheListLoads();
    vmList.resolve(new Response(JSON.stringify([vm('nightly')])));
    await waitFor(() => expect(screen.getByTestId('vm-offering').textContent).toBe('offering nightly'));
    expect(screen.getByTestId('assign-open').textContent).toBe('Change offering');
    expect(screen.getByTestId('vm-detail-web-1').textContent).not.toMatch(/not assigned/);
  });

  it('says the offering is unknown when the VM list cannot be loaded', async () => {
    renderVm();
    await whileTheListLoads();
    vmList.resolve(new Response(JSON.stringify({ title: 'Internal error', status: 500 }), { status: 500 }));
    await waitFor(() => expect(screen.getByTestId('vm-offering').textContent).toBe('offering unknown (the VM list did not load)'));
    expect(screen.getByTestId('vm-detail-web-1').textContent).not.toMatch(/not assigned/);
    expect(screen.queryByTestId('assign-open')).toBeNull();
  });
});

describe('VM page snapshots', () => {
  const snap = (name: string, state: string) => ({ id: name === 's1' ? 's-1' : 's-2', vm: 'web-1', host: 'local', name, state,
    createdAt: '2026-12-01T05:00:00Z', quiesced: true, vmWasRunning: true, error: null, disks: [{ target: 'vda', image: '/i', overlay: '/o' }] });

  it('lists the snapshots not deleted; revert is offered only while the VM is stopped and starts the workflow', async () => {
    snapshots = [snap('s1', 'Ready'), snap('s2', 'Removed'), { ...snap('s3', 'Deleted'), id: 's-3' }];
    renderVm();
    vmList.resolve(new Response(JSON.stringify([{ ...vm('nightly'), state: 'shut off' }])));
    await screen.findByTestId('snapshot-s1');
    expect(screen.getByTestId('snapshot-s2').dataset.state).toBe('Removed');
    expect(screen.queryByTestId('snapshot-s3')).toBeNull();
    expect(screen.queryByTestId('snapshot-revert-s2')).toBeNull();
    const revert = screen.getByTestId('snapshot-revert-s1') as HTMLButtonElement;
    await waitFor(() => expect(revert.disabled).toBe(false));
    revert.click();
    await waitFor(() => expect(screen.getByTestId('action-started').textContent).toMatch(/Revert to s1 started/));
  });

  it('reads the snapshots again when the run it started ends', async () => {
    snapshots = [snap('s1', 'Ready')];
    renderVm();
    vmList.resolve(new Response(JSON.stringify([{ ...vm('nightly'), state: 'shut off' }])));
    const revert = await screen.findByTestId('snapshot-revert-s1') as HTMLButtonElement;
    await waitFor(() => expect(revert.disabled).toBe(false));
    revert.click();
    await screen.findByTestId('action-started');
    const listed = () => vi.mocked(fetch).mock.calls.filter(([url]) => url === '/api/snapshots?vm=web-1').length;
    await waitFor(() => expect(listed()).toBe(2)); // the first read and the one after starting
    snapshots = [snap('s2', 'Ready')];
    runEvents!({ kind: 'activity', instanceId: 'i-revert', activityId: 'revert', status: 'done', at: '2026-12-01T05:01:00Z' } as RunEvent);
    expect(listed()).toBe(2);
    runEvents!({ kind: 'instance', instanceId: 'i-revert', status: 'Finished', at: '2026-12-01T05:01:00Z' } as RunEvent);
    await screen.findByTestId('snapshot-s2');
    expect(screen.queryByTestId('snapshot-s1')).toBeNull();
  });

  it('disables revert while the VM runs', async () => {
    snapshots = [snap('s1', 'Ready')];
    renderVm();
    vmList.resolve(new Response(JSON.stringify([vm('nightly')])));
    await screen.findByTestId('snapshot-s1');
    await waitFor(() => expect((screen.getByTestId('snapshot-revert-s1') as HTMLButtonElement).disabled).toBe(true));
  });
});
