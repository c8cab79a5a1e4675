import { ApiError, request } from './client';
import type { RunEvent } from './types';

/** How long to wait before asking for a new ticket after the stream dropped or a ticket was refused. */
export const reconnectDelayMs = 2000;

/**
 * Subscribes to the server's event stream for one instance. EventSource cannot send headers, and the
 * API key must never be in a URL (request logs keep URLs), so each connection first asks for a ticket
 * (`POST /api/events/tickets` with the key in the header): the server answers with an HttpOnly cookie
 * scoped to `/api/events` that opens one stream within 60 s. When the stream drops, a new ticket is
 * asked for and a new stream opened. Returns the unsubscribe function.
 */
export function subscribeToEvents(
  instanceId: string,
  onEvent: (e: RunEvent) => void,
  onStatus?: (connected: boolean) => void,
): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const reconnect = () => {
    if (!stopped) retry = setTimeout(() => void open(), reconnectDelayMs);
  };
  const open = async () => {
    try {
      await request('POST', '/api/events/tickets');
    } catch (e) {
      onStatus?.(false);
      // A key that is not accepted sends the user to sign-in (client.ts); anything else is tried again.
      if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) reconnect();
      return;
    }
    if (stopped) return;
    const stream = new EventSource(`/api/events?instanceId=${encodeURIComponent(instanceId)}`);
    source = stream;
    stream.onopen = () => onStatus?.(true);
    // The browser's own reconnect would send no ticket (it is used up): close and start over with a new one.
    stream.onerror = () => {
      stream.close();
      onStatus?.(false);
      reconnect();
    };
    stream.onmessage = (m: MessageEvent<string>) => {
      try {
        onEvent(JSON.parse(m.data) as RunEvent);
      } catch {
        // a malformed line is skipped; the next full reload corrects the view
      }
    };
  };
  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}
