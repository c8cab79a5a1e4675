import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paletteMime } from '../../components/Palette';
import { SessionContext, sessionFor } from '../../session';
import { descriptors } from '../../test/fixtures';
import { DesignerPage } from './DesignerPage';

const saved: unknown[] = [];

beforeEach(() => {
  saved.length = 0;
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    if (url === '/api/activity-descriptors') return new Response(JSON.stringify(descriptors));
    if (url.startsWith('/api/workflows/') && init.method === 'PUT') {
      const body = JSON.parse(String(init.body));
      saved.push(body);
      return new Response(JSON.stringify({ ...body, version: 1 }));
    }
    return new Response('{}', { status: 404 });
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); window.location.hash = ''; });

function renderAs(role: 'admin' | 'viewer') {
  return render(
    <SessionContext.Provider value={sessionFor({ name: role, role }, () => {})}>
      <div style={{ width: 1200, height: 800 }}><DesignerPage workflowId="new" /></div>
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
});
