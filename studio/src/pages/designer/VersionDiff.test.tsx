import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { definition } from '../../test/fixtures';
import { VersionsPanel } from './VersionsPanel';

beforeEach(() => {
  vi.stubGlobal('fetch', vi.fn(async (url: string) => {
    if (url === '/api/workflows/backup-vm/versions')
      return new Response(JSON.stringify([1, 2, 3].map((version) => ({ version, isPublished: version === 2, createdAt: '2026-11-01T00:00:00Z' }))));
    const version = Number(new URL(url, 'http://x').searchParams.get('version'));
    const d = { ...definition(), version };
    if (version >= 2) d.activities = d.activities.map((a) => (a.id === 'copy' ? { ...a, inputs: { ...a.inputs, bandwidth: 100 * version } } : a));
    if (version === 3) d.connections = d.connections.filter((c) => c.target !== 'notify');
    return new Response(JSON.stringify(d));
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

describe('version comparison', () => {
  it('shows two chosen versions side by side', async () => {
    render(<VersionsPanel workflowId="backup-vm" current={3} refreshKey={0} canEdit={false} onOpen={() => {}} onRevert={() => {}} />);
    fireEvent.click(await screen.findByTestId('versions-compare'));
    // v2 -> v3 by default: the latest change.
    const removed = await screen.findByTestId('diff-removed-snapshot —Failed→ notify');
    expect(removed.textContent).toContain('snapshot —Failed→ notify');
    expect(screen.getByTestId('diff-changed-copy.inputs.bandwidth').textContent).toContain('200300');
    fireEvent.change(screen.getByTestId('diff-from'), { target: { value: '1' } });
    fireEvent.change(screen.getByTestId('diff-to'), { target: { value: '2' } });
    await waitFor(() => expect(screen.getByTestId('diff-changed-copy.inputs.bandwidth').textContent).toContain('100200'));
    expect(screen.queryByTestId('diff-removed-snapshot —Failed→ notify')).toBeNull();
  });
});
