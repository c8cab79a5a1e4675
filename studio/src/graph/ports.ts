import type { ActivityDescriptor, Connection as DefConnection } from '../api/types';

/**
 * Outcome ports of an activity: its descriptor's outcomes. An activity whose type is unknown
 * keeps ports for the outcomes its connections use, so a broken import still shows its wiring.
 */
export function outcomePorts(activityId: string, descriptor: ActivityDescriptor | undefined, connections: DefConnection[]): string[] {
  if (descriptor) return descriptor.outcomes.length ? descriptor.outcomes : ['Done'];
  const used = [...new Set(connections.filter((c) => c.source === activityId).map((c) => c.outcome))];
  return used.length ? used : ['Done'];
}

/** Whether the user may draw source:outcome -> target: no self-loop, no duplicate. */
export function canConnect(c: DefConnection, existing: DefConnection[]): boolean {
  if (c.source === c.target) return false;
  return !existing.some((e) => e.source === c.source && e.outcome === c.outcome && e.target === c.target);
}

/** Palette groups: descriptors by category, filtered by a search over name, type and description. */
export function groupDescriptors(descriptors: ActivityDescriptor[], search: string): [string, ActivityDescriptor[]][] {
  const q = search.trim().toLowerCase();
  const hit = (d: ActivityDescriptor) =>
    !q || [d.displayName, d.type, d.category, d.description ?? ''].some((s) => s.toLowerCase().includes(q));
  const groups = new Map<string, ActivityDescriptor[]>();
  for (const d of descriptors.filter(hit)) groups.set(d.category || 'Other', [...(groups.get(d.category || 'Other') ?? []), d]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, [...v].sort((a, b) => a.displayName.localeCompare(b.displayName))]);
}
