import type { ActivityDescriptor, JournalEntry } from '../api/types';

export const secretMask = '***';

/**
 * Masks inputs the activity's descriptor marks sensitive. The server already masks them; doing it
 * again here means a server bug cannot put a secret on screen.
 */
export function maskSecrets(values: Record<string, unknown> | null | undefined, descriptor: ActivityDescriptor | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(values ?? {}) };
  for (const i of descriptor?.inputs ?? []) if (i.sensitive && i.name in out && out[i.name] !== null) out[i.name] = secretMask;
  return out;
}

/**
 * What the journal's Attempt column says for each row (by sequence). The engine starts a new journal row,
 * with the next attempt number, when a durable timer (Delay) wakes its activity: that row is the
 * activity continuing, not a retry, so it reads "resumed" and does not count as an attempt. A row
 * re-running one a restart interrupted reads "n (after restart)".
 */
export function attemptLabels(entries: Pick<JournalEntry, 'sequence' | 'activityId' | 'attempt' | 'isResume' | 'status'>[]): Map<number, string> {
  const labels = new Map<number, string>();
  const wakeUps = new Map<string, number>();
  const last = new Map<string, string | undefined>();
  for (const e of [...entries].sort((a, b) => a.sequence - b.sequence)) {
    const woke = last.get(e.activityId)?.toLowerCase() === 'suspended';
    if (woke) wakeUps.set(e.activityId, (wakeUps.get(e.activityId) ?? 0) + 1);
    const attempt = e.attempt - (wakeUps.get(e.activityId) ?? 0);
    labels.set(e.sequence, woke ? 'resumed after the timer' : e.isResume ? `${attempt} (after restart)` : String(attempt));
    last.set(e.activityId, e.status);
  }
  return labels;
}
