import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Vm } from '../../api/types';
import { SessionContext, sessionFor } from '../../session';
import { VmsPage } from './VmsPage';

const vm = (offering: string | null): Vm => ({ name: 'web-1', uuid: 'u', host: 'local', state: 'running', offering, repository: offering ? 'default' : null, disks: [] });

/** The answer to GET /api/vms, held back until the test settles it. */
let vmList: { resolve: (r: Response) => void };

beforeEach(() => {
  vi.stubGlobal('fetch', vi.fn((url: string) => {
    if (url === '/api/vms') return new Promise<Response>((resolve) => { vmList = { resolve }; });
    if (url === '/api/backups?vm=web-1') return Promise.resolve(new Response('[]'));
    if (url === '/api/offerings') return Promise.resolve(new Response(JSON.stringify([{ name: 'nightly', chainSize: 7, compress: false, validate: false, allowQuickRestore: true, allowFileExtraction: false }])));
    return Promise.resolve(new Response('{}', { status: 404 }));
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

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
