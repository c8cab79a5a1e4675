import { apiKeyStore } from './client';
import type { RunEvent } from './types';

/**
 * Subscribes to the server's event stream for one instance. EventSource cannot send headers,
 * so the key travels as `?apiKey=`. Returns the unsubscribe function.
 */
export function subscribeToEvents(
  instanceId: string,
  onEvent: (e: RunEvent) => void,
  onStatus?: (connected: boolean) => void,
): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const key = apiKeyStore.get() ?? '';
  const url = `/api/events?instanceId=${encodeURIComponent(instanceId)}&apiKey=${encodeURIComponent(key)}`;
  const source = new EventSource(url);
  source.onopen = () => onStatus?.(true);
  source.onerror = () => onStatus?.(false); // EventSource reconnects by itself
  source.onmessage = (m: MessageEvent<string>) => {
    try {
      onEvent(JSON.parse(m.data) as RunEvent);
    } catch {
      // a malformed line is skipped; the next full reload corrects the view
    }
  };
  return () => source.close();
}
