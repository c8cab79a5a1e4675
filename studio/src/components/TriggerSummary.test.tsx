import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TriggerSummary, nodeSummary } from './TriggerSummary';

afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

const activity = (type: string, inputs: Record<string, unknown>) => ({ id: 'a', type, version: 1, inputs });

describe('TriggerSummary', () => {
  it('shows a hook with the full URL the server answers and a curl call', () => {
    render(<TriggerSummary activity={activity('Trigger.Http', { path: '/Backups/Nightly/', method: 'put', role: 'admin' })} />);
    expect(screen.getByTestId('hook-url').textContent).toBe(`PUT ${window.location.origin}/api/hooks/backups/nightly`);
    expect(screen.getByTestId('hook-curl').textContent).toContain(`-X PUT ${window.location.origin}/api/hooks/backups/nightly`);
    expect(screen.getByText(/role admin or higher/)).toBeTruthy();
  });

  it('lists the next five firings the server computes for a cron', async () => {
    const next = ['2026-12-01T06:00:10Z', '2026-12-01T06:00:20Z', '2026-12-01T06:00:30Z', '2026-12-01T06:00:40Z', '2026-12-01T06:00:50Z'];
    const fetch = vi.fn(async () => new Response(JSON.stringify({ quartz: '*/10 * * * * ?', timeZone: 'Europe/Berlin', next }),
      { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    render(<TriggerSummary activity={activity('Trigger.Cron', { cron: '*/10 * * * * ?', timeZone: 'Europe/Berlin' })} />);
    await waitFor(() => expect(screen.getByTestId('cron-next').querySelectorAll('li').length).toBe(5));
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain('/api/triggers/cron-preview?cron=*%2F10%20*%20*%20*%20*%20%3F&timeZone=Europe%2FBerlin&count=5');
  });

  it('shows an event trigger with its event and filter', () => {
    render(<TriggerSummary activity={activity('Trigger.Event', { event: 'backup.failed', vm: 'web1', host: ' ', result: 'failed' })} />);
    expect(screen.getByTestId('event-name').textContent).toBe('backup.failed');
    expect(screen.getByTestId('event-filter').textContent).toBe('only when vm is web1 and result is failed');
    cleanup();
    render(<TriggerSummary activity={activity('Trigger.Event', { event: 'job.failed' })} />);
    expect(screen.getByTestId('event-filter').textContent).toBe('every such event (no filter)');
  });

  it('summarises triggers and child workflows on their canvas nodes only', () => {
    expect(nodeSummary(activity('Trigger.Event', { event: 'backup.failed', offering: 'gold' }))).toBe('on backup.failed (offering=gold)');
    expect(nodeSummary(activity('Trigger.Event', { event: 'validation.finished' }))).toBe('on validation.finished');
    expect(nodeSummary(activity('Trigger.Http', { path: 'a/b' }))).toBe('POST /api/hooks/a/b');
    expect(nodeSummary(activity('Trigger.Cron', { cron: 'daily' }))).toBe('daily (UTC)');
    expect(nodeSummary(activity('Flow.RunWorkflow', { workflowId: 'backup', version: 3 }))).toBe('runs backup v3');
    expect(nodeSummary(activity('Flow.Delay', { seconds: 3 }))).toBeNull();
  });
});
