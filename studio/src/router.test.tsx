import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useCallback } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { navigateAway, useLeaveGuard, useRoute } from './router';

function Page({ dirty }: { dirty: boolean }) {
  const route = useRoute();
  useLeaveGuard(useCallback(() => (dirty ? 'Discard unsaved changes?' : null), [dirty]));
  return <div data-testid="route">{route.join('/')}</div>;
}

const hashChange = async (hash: string) => {
  await act(async () => {
    window.location.hash = hash;
    await new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
  });
};

afterEach(() => { cleanup(); vi.unstubAllGlobals(); window.location.hash = ''; });

describe('leaving a page with unsaved changes', () => {
  it('asks before a link or Back moves away, and stays when declined', async () => {
    window.location.hash = '#/designer/backup';
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    render(<Page dirty />);
    expect(screen.getByTestId('route').textContent).toBe('designer/backup');

    await hashChange('#/runs'); // a nav link or Back changes the hash the same way
    expect(confirm).toHaveBeenCalledWith('Discard unsaved changes?');
    expect(screen.getByTestId('route').textContent).toBe('designer/backup');
    expect(window.location.hash).toBe('#/designer/backup');

    confirm.mockReturnValue(true);
    await hashChange('#/runs');
    await waitFor(() => expect(screen.getByTestId('route').textContent).toBe('runs'));
  });

  it('does not ask without changes, nor when the page moves itself', async () => {
    window.location.hash = '#/designer/new';
    const confirm = vi.fn(() => false);
    vi.stubGlobal('confirm', confirm);
    const { rerender } = render(<Page dirty />);
    await act(async () => {
      navigateAway('designer', 'saved');
      await new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
    });
    expect(screen.getByTestId('route').textContent).toBe('designer/saved');
    rerender(<Page dirty={false} />);
    await hashChange('#/vms');
    expect(screen.getByTestId('route').textContent).toBe('vms');
    expect(confirm).not.toHaveBeenCalled();
  });
});
