import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';

const workflows = [{ id: 'backup-vm', name: 'Back up a VM', latestVersion: 2, publishedVersion: 1, updatedAt: '2026-01-01T00:00:00Z' }];

/** A fetch that answers like the server for one role. */
function serverFor(role: string | null) {
  return vi.fn(async (url: string, init: RequestInit) => {
    const key = (init.headers as Record<string, string>)['X-Api-Key'];
    if (!role || key !== 'good') return new Response(JSON.stringify({ title: 'Unauthorized', status: 401 }), { status: 401 });
    if (url === '/api/me') return new Response(JSON.stringify({ name: 'k', role }));
    if (url === '/api/workflows') return new Response(JSON.stringify(workflows));
    return new Response('{}', { status: 404 });
  });
}

async function signIn(key: string) {
  render(<App />);
  fireEvent.change(screen.getByTestId('signin-key'), { target: { value: key } });
  fireEvent.click(screen.getByTestId('signin-submit'));
}

afterEach(() => { cleanup(); vi.unstubAllGlobals(); sessionStorage.clear(); window.location.hash = ''; });

describe('sign-in and roles', () => {
  it('admins see the mutating controls', async () => {
    vi.stubGlobal('fetch', serverFor('admin'));
    await signIn('good');
    await screen.findByTestId('workflow-row-backup-vm');
    expect(screen.getByTestId('current-role').textContent).toBe('admin');
    expect(screen.queryByTestId('workflow-new')).not.toBeNull();
    expect(screen.queryByTestId('workflow-delete-backup-vm')).not.toBeNull();
    expect(sessionStorage.getItem('bwf.apiKey')).toBe('good');
  });

  it('viewers see the data but no button that changes anything', async () => {
    vi.stubGlobal('fetch', serverFor('viewer'));
    await signIn('good');
    await screen.findByTestId('workflow-row-backup-vm');
    expect(screen.queryByTestId('workflow-new')).toBeNull();
    expect(screen.queryByTestId('workflow-import')).toBeNull();
    expect(screen.queryByTestId('workflow-delete-backup-vm')).toBeNull();
  });

  it('a refused key stays on the sign-in page with the reason, and is not stored', async () => {
    vi.stubGlobal('fetch', serverFor('admin'));
    await signIn('bad');
    await waitFor(() => expect(screen.getByTestId('error-banner').textContent).toMatch(/not accepted/));
    expect(sessionStorage.getItem('bwf.apiKey')).toBeNull();
  });
});
