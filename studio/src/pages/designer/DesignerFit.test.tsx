import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { paletteMime } from '../../components/Palette';
import { SessionContext, sessionFor } from '../../session';
import { definition, descriptors } from '../../test/fixtures';
import { measureLikeABrowser, viewportOf } from '../../test/measuredLayout';
import { DesignerPage } from './DesignerPage';

const identity = { x: 0, y: 0, zoom: 1 };
let restore: () => void;

beforeEach(() => {
  restore = measureLikeABrowser();
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    if (url === '/api/activity-descriptors') return new Response(JSON.stringify(descriptors));
    if (url === '/api/workflows/backup-vm') return new Response(JSON.stringify(definition()));
    return new Response('{}', { status: 404 });
  }));
});
afterEach(() => { cleanup(); restore(); vi.unstubAllGlobals(); });

function renderDesigner(workflowId: string) {
  return render(
    <SessionContext.Provider value={sessionFor({ name: 'admin', role: 'admin' }, () => {})}>
      <DesignerPage workflowId={workflowId} />
    </SessionContext.Provider>,
  );
}

/** Resolves once React Flow has measured node `id` (it shows a node only then). */
const measured = (container: HTMLElement, id: string) => waitFor(() => {
  const wrapper = container.querySelector<HTMLElement>(`.react-flow__node[data-id="${id}"]`);
  expect(wrapper?.style.visibility).toBe('visible');
});

/** Lets React Flow's pending work (observer reports, a queued fit) run out. */
const settle = () => new Promise((r) => setTimeout(r, 50));

/** A palette item dropped at client point (x, y); jsdom has no DragEvent, so a MouseEvent carries the data. */
function drop(type: string, x: number, y: number) {
  const event = new MouseEvent('drop', { bubbles: true, cancelable: true, clientX: x, clientY: y });
  Object.defineProperty(event, 'dataTransfer', { value: { getData: (m: string) => (m === paletteMime ? type : '') } });
  fireEvent(screen.getByTestId('canvas'), event);
}

describe('Designer viewport', () => {
  it('keeps the view where it is when the first activity is dropped on an empty canvas', async () => {
    const { container } = renderDesigner('new');
    await screen.findByTestId('palette-item-Backup.CreateSnapshot');
    await settle();
    expect(viewportOf(container)).toEqual(identity);

    drop('Backup.CreateSnapshot', 400, 300);
    await screen.findByTestId('node-createSnapshot');
    await measured(container, 'createSnapshot');
    await settle();
    expect(viewportOf(container)).toEqual(identity);

    drop('Flow.Notify', 400, 600);
    await measured(container, 'notify');
    await settle();
    expect(viewportOf(container)).toEqual(identity);
  });

  it('fits an existing workflow once when it loads, and not again on a drop', async () => {
    const { container } = renderDesigner('backup-vm');
    await measured(container, 'snapshot');
    await waitFor(() => expect(viewportOf(container)).not.toEqual(identity));
    await settle();
    const fitted = viewportOf(container);

    drop('Flow.Notify', 100, 650);
    await measured(container, 'notify2');
    await settle();
    expect(viewportOf(container)).toEqual(fitted);
  });

  it('fits on the explicit shortcut (Shift+F); on an empty canvas the shortcut leaves no fit waiting for the first drop', async () => {
    const { container } = renderDesigner('new');
    await screen.findByTestId('palette-item-Backup.CreateSnapshot');
    fireEvent.keyDown(window, { key: 'F', shiftKey: true });
    await settle();
    drop('Backup.CreateSnapshot', 900, 650);
    await measured(container, 'createSnapshot');
    await settle();
    expect(viewportOf(container)).toEqual(identity);

    fireEvent.keyDown(window, { key: 'F', shiftKey: true });
    await waitFor(() => expect(viewportOf(container)).not.toEqual(identity));
  });
});
