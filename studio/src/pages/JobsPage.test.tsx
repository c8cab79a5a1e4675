import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '../api/types';
import { JobsPage } from './JobsPage';

const base = { definitionId: 'compress', backupId: 'b1', host: 'kvm-1', createdAt: '2026-12-01T03:00:00Z', updatedAt: '2026-12-01T03:00:00Z' };
const jobs: Job[] = [
  { ...base, id: 'q', type: 'compression', state: 'queued', reason: 'host limit', attempts: 0 },
  { ...base, id: 'r', type: 'compression', state: 'running', attempts: 1, progress: { done: 1, total: 4, message: 'compressing vda' } },
  { ...base, id: 'f', type: 'compression', state: 'failed', reason: 'failed after 3 attempt(s): no space', attempts: 3, error: 'no space' },
];

beforeEach(() => { vi.stubGlobal('fetch', vi.fn(() => Promise.resolve(new Response(JSON.stringify(jobs))))); });
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

describe('Jobs page', () => {
  it('shows why a queued job waits, a running one\'s progress and how a failed one failed', async () => {
    render(<JobsPage />);
    expect((await screen.findByTestId('job-state-q')).textContent).toBe('queued: host limit');
    expect(screen.getByTestId('job-state-r').textContent).toBe('running 25% (compressing vda)');
    expect(screen.getByTestId('job-state-f').textContent).toBe('failed after 3 attempt(s): no space');
  });
});
