import type { ActivityDescriptor } from '../api/types';

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
