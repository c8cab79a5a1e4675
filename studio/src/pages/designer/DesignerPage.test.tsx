import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paletteMime } from '../../components/Palette';
import { SessionContext, sessionFor } from '../../session';
import { definition, descriptors } from '../../test/fixtures';
import { DesignerPage } from './DesignerPage';

const saved: unknown[] = [];
const puts: string[] = [];

beforeEach(() => {
  saved.length = 0;
  puts.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    if (url === '/api/activity-descriptors') return new Response(JSON.stringify(descriptors));
    if (url === '/api/workflows/backup-vm/versions') return new Response(JSON.stringify([{ version: 1, isPublished: true, createdAt: '2026-11-01T00:00:00Z' }]));
    if (url === '/api/workflows/backup-vm' && (init.method ?? 'GET') === 'GET') return new Response(JSON.stringify(definition()));
    if (init.method === 'PUT') puts.push(url);
    if (url.startsWith('/api/workflows/') && init.method === 'PUT') {
      const body = JSON.parse(String(init.body));
      saved.push(body);
      return new Response(JSON.stringify({ ...body, version: 1 }));
    }
    return new Response('{}', { status: 404 });
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); window.location.hash = ''; });

function renderAs(role: 'admin' | 'viewer', workflowId = 'new') {
  return render(
    <SessionContext.Provider value={sessionFor({ name: role, role }, () => {})}>
      <div style={{ width: 1200, height: 800 }}><DesignerPage workflowId={workflowId} /></div>
    </SessionContext.Provider>,
  );
}

describe('Designer', () => {
  it('adds activities from the palette, undoes and redoes with the keyboard, and saves the definition', async () => {
    renderAs('admin');
    const item = await screen.findByTestId('palette-item-Backup.CreateSnapshot');
    fireEvent.doubleClick(item);
    fireEvent.doubleClick(screen.getByTestId('palette-item-Flow.Notify'));
    await screen.findByTestId('node-createSnapshot');
    expect(screen.getByTestId('node-createSnapshot').getAttribute('data-problems')).toBe('1'); // vm is required
    act(() => { fireEvent.keyDown(window, { key: 'z', ctrlKey: true }); });
    await waitFor(() => expect(screen.queryByTestId('node-notify')).toBeNull());
    act(() => { fireEvent.keyDown(window, { key: 'z', ctrlKey: true, shiftKey: true }); });
    await screen.findByTestId('node-notify');

    fireEvent.click(screen.getByTestId('node-notify')); // redo restores content, not selection
    fireEvent.change(await screen.findByTestId('input-message'), { target: { value: 'hello' } });
    fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(saved).toHaveLength(1));
    const def = saved[0] as { id: string; activities: { id: string; type: string; inputs: Record<string, unknown> }[] };
    expect(def.id).toBe('new-workflow');
    expect(def.activities.map((a) => [a.id, a.type])).toEqual([['createSnapshot', 'Backup.CreateSnapshot'], ['notify', 'Flow.Notify']]);
    expect(def.activities[1].inputs).toEqual({ message: 'hello' });
  });

  it('keeps an activity added while the new designer is still starting', async () => {
    renderAs('admin');
    // Dropped before the first answers arrive (jsdom has no DragEvent: a MouseEvent carries the data).
    const drop = new MouseEvent('drop', { bubbles: true, cancelable: true, clientX: 600, clientY: 400 });
    Object.defineProperty(drop, 'dataTransfer', { value: { getData: (m: string) => (m === paletteMime ? 'Backup.CreateSnapshot' : '') } });
    fireEvent(screen.getByTestId('canvas'), drop);
    fireEvent.doubleClick(await screen.findByTestId('palette-item-Flow.Notify'));
    await screen.findByTestId('node-notify');
    expect(screen.getByTestId('node-createSnapshot')).toBeTruthy();
    expect(screen.getByTestId('designer-dirty')).toBeTruthy();
  });

  it('shows viewers the flow without palette or editing commands', async () => {
    renderAs('viewer');
    await waitFor(() => expect(screen.getByTestId('designer-toolbar')).toBeTruthy());
    expect(screen.queryByTestId('palette')).toBeNull();
    for (const id of ['save', 'publish', 'run', 'undo', 'import', 'delete']) expect(screen.queryByTestId(id)).toBeNull();
    expect((screen.getByTestId('workflow-name') as HTMLInputElement).disabled).toBe(true);
  });

  it('imports a file of another workflow as the content of the one on screen, and saves it there', async () => {
    renderAs('admin', 'backup-vm');
    await screen.findByTestId('node-snapshot');
    const other = { ...definition(), id: 'review-demo', name: 'Review demo' };
    const file = new File([JSON.stringify(other)], 'review-demo.json', { type: 'application/json' });
    Object.defineProperty(file, 'text', { value: async () => JSON.stringify(other) }); // jsdom's File has no text()
    fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByTestId('designer-status').textContent).toContain('as the content of backup-vm'));
    fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toBe('/api/workflows/backup-vm');
    expect((saved[0] as { id: string; name: string })).toMatchObject({ id: 'backup-vm', name: 'Review demo' });
  });

  it('does not send a workflow without a valid id, and says why', async () => {
    renderAs('admin');
    fireEvent.change(await screen.findByTestId('workflow-id'), { target: { value: '' } });
    fireEvent.doubleClick(await screen.findByTestId('palette-item-Flow.Notify'));
    fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(screen.getByTestId('error-banner').textContent).toContain('The workflow id must be'));
    expect(puts).toEqual([]);
    expect(screen.getByTestId('problems').getAttribute('data-count')).not.toBe('0');
  });

  it('asks before a revert replaces the draft, and does nothing when declined', async () => {
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    renderAs('admin', 'backup-vm');
    await screen.findByTestId('node-snapshot');
    fireEvent.click(screen.getByTestId('versions-toggle'));
    fireEvent.click(await screen.findByTestId('version-revert-1'));
    expect(confirm).toHaveBeenCalledWith('Replace the draft with a copy of v1?');
    expect((fetch as ReturnType<typeof vi.fn>).mock.calls.some(([u]) => String(u).includes('/revert'))).toBe(false);
  });
});
