import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionContext, sessionFor } from './session';
import { Shell } from './Shell';
import { definition, descriptors } from './test/fixtures';

/** What the stand-in server holds: PUT stores version 1, GET answers what was stored (or the fixture). */
let stored: Map<string, unknown>;
let workflowGets: string[];

beforeEach(() => {
  stored = new Map([['backup-vm', definition()]]);
  workflowGets = [];
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    if (url === '/api/activity-descriptors') return new Response(JSON.stringify(descriptors));
    const id = url.match(/^\/api\/workflows\/([^/?]+)$/)?.[1];
    if (id && init.method === 'PUT') {
      const saved = { ...JSON.parse(String(init.body)), version: 1, isPublished: false };
      stored.set(id, saved);
      return new Response(JSON.stringify(saved));
    }
    if (id && init.method === 'GET') {
      workflowGets.push(id);
      return stored.has(id) ? new Response(JSON.stringify(stored.get(id))) : new Response('{}', { status: 404 });
    }
    return new Response('[]');
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); window.location.hash = ''; });

function renderShell(hash: string) {
  window.location.hash = hash;
  return render(
    <SessionContext.Provider value={sessionFor({ name: 'admin', role: 'admin' }, () => {})}>
      <Shell />
    </SessionContext.Provider>,
  );
}

const go = (hash: string) => act(() => { window.location.hash = hash; window.dispatchEvent(new HashChangeEvent('hashchange')); });

describe('designer routes', () => {
  it('keeps the notice, undo history and selection across the route change of the first save; another route is a fresh page', async () => {
    renderShell('#/designer/new');
    fireEvent.doubleClick(await screen.findByTestId('palette-item-Backup.CreateSnapshot'));
    await screen.findByTestId('node-createSnapshot');
    expect(screen.getByTestId('prop-id').textContent).toBe('createSnapshot'); // a new activity is selected

    fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(window.location.hash).toBe('#/designer/new-workflow'));
    // `run` needs a saved workflow: present once the page took the new route.
    await screen.findByTestId('run');
    expect(screen.getByTestId('designer-status').textContent).toContain('v1');
    expect(screen.getByTestId('designer-notice').textContent).toBe('Saved draft v1.');
    expect(screen.getByTestId('prop-id').textContent).toBe('createSnapshot');
    expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId('designer-dirty')).toBeNull();
    expect(workflowGets).toEqual([]); // the editor already holds what was saved

    // Undo still reaches back before the save.
    fireEvent.click(screen.getByTestId('undo'));
    await waitFor(() => expect(screen.queryByTestId('node-createSnapshot')).toBeNull());
    fireEvent.click(screen.getByTestId('redo'));
    await screen.findByTestId('node-createSnapshot');

    go('#/designer/backup-vm');
    await screen.findByTestId('node-snapshot');
    expect(screen.queryByTestId('node-createSnapshot')).toBeNull();
    expect(screen.queryByTestId('designer-notice')).toBeNull();
    expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(true);
    expect(workflowGets).toEqual(['backup-vm']);

    go('#/designer/new');
    await waitFor(() => expect(screen.queryByTestId('node-snapshot')).toBeNull());
    expect((screen.getByTestId('workflow-id') as HTMLInputElement).value).toBe('new-workflow');
    expect((screen.getByTestId('workflow-id') as HTMLInputElement).disabled).toBe(false);
    expect(screen.queryByTestId('designer-notice')).toBeNull();
    expect((screen.getByTestId('undo') as HTMLButtonElement).disabled).toBe(true);
  });

  it('opens the saved workflow afresh when the route comes back to it later', async () => {
    renderShell('#/designer/new');
    fireEvent.doubleClick(await screen.findByTestId('palette-item-Flow.Notify'));
    fireEvent.click(screen.getByTestId('save'));
    await screen.findByTestId('run');
    go('#/workflows');
    go('#/designer/new-workflow');
    await screen.findByTestId('node-notify');
    expect(workflowGets).toEqual(['new-workflow']);
    expect(screen.queryByTestId('designer-notice')).toBeNull();
  });
});
