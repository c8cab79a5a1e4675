import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKeyStore } from './client';
import { reconnectDelayMs, subscribeToEvents } from './events';

/** Records every EventSource the code opens; the test drives open, message and error. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: MessageEvent<string>) => void) | null = null;
  closed = false;
  constructor(readonly url: string) { FakeEventSource.opened.push(this); }
  close() { this.closed = true; }
}

const tickets = () => vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify({ expiresAt: 'soon' }), { status: 200 }));

beforeEach(() => { FakeEventSource.opened = []; vi.stubGlobal('EventSource', FakeEventSource); apiKeyStore.set('bwf_secret'); });
afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals(); sessionStorage.clear(); });

describe('event stream', () => {
  it('asks for a ticket with the key in the header and never puts the key in the stream URL', async () => {
    const fetch = tickets();
    vi.stubGlobal('fetch', fetch);
    const events: unknown[] = [];
    const status: boolean[] = [];
    const stop = subscribeToEvents('run 1', (e) => events.push(e), (s) => status.push(s));
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    expect(fetch.mock.calls[0][0]).toBe('/api/events/tickets');
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'POST', headers: { 'X-Api-Key': 'bwf_secret' } });
    const stream = FakeEventSource.opened[0];
    expect(stream.url).toBe('/api/events?instanceId=run%201');
    expect(stream.url).not.toContain('bwf_secret');
    stream.onopen?.();
    stream.onmessage?.(new MessageEvent('message', { data: '{"kind":"instance","instanceId":"run 1"}' }));
    expect(events).toEqual([{ kind: 'instance', instanceId: 'run 1' }]);
    expect(status).toEqual([true]);
    stop();
    expect(stream.closed).toBe(true);
  });

  it('reconnects with a new ticket when the stream drops, and stops when unsubscribed', async () => {
    vi.useFakeTimers();
    const fetch = tickets();
    vi.stubGlobal('fetch', fetch);
    const stop = subscribeToEvents('i', () => {});
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
    FakeEventSource.opened[0].onerror?.();
    expect(FakeEventSource.opened[0].closed).toBe(true);
    await vi.advanceTimersByTimeAsync(reconnectDelayMs);
    await vi.waitFor(() => expect(FakeEventSource.opened).toHaveLength(2));
    expect(fetch).toHaveBeenCalledTimes(2);
    FakeEventSource.opened[1].onerror?.();
    stop();
    await vi.advanceTimersByTimeAsync(reconnectDelayMs * 3);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
