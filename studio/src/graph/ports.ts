import type { ActivityDescriptor, Connection as DefConnection } from '../api/types';

/**
 * Outcome ports of an activity: its descriptor's outcomes. Activities with dynamic outcomes
 * (Switch, Fork) add the items of their literal list inputs (cases, branches). An activity whose
 * type is unknown, or a dynamic one, keeps ports for the outcomes its connections use, so no
 * wire is left dangling.
 */
export function outcomePorts(activity: { id: string; inputs: Record<string, unknown> }, descriptor: ActivityDescriptor | undefined, connections: DefConnection[]): string[] {
  const used = connections.filter((c) => c.source === activity.id).map((c) => c.outcome);
  // A known activity without outcomes (Finish, Fault) ends its path: it gets no output port.
  if (descriptor && !descriptor.dynamicOutcomes) return descriptor.outcomes;
  const fromLists = descriptor
    ? descriptor.inputs.filter((i) => i.type === 'string[]').flatMap((i) => {
      const v = activity.inputs[i.name];
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
    })
    : [];
  const all = [...new Set([...(descriptor?.outcomes ?? []), ...fromLists, ...used])];
  return all.length || descriptor ? all : ['Done'];
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
    !q || [d.displayName, d.type, d.category ?? '', d.description ?? ''].some((s) => s.toLowerCase().includes(q));
  const groups = new Map<string, ActivityDescriptor[]>();
  for (const d of descriptors.filter(hit)) groups.set(d.category || 'Other', [...(groups.get(d.category || 'Other') ?? []), d]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => [k, [...v].sort((a, b) => a.displayName.localeCompare(b.displayName))]);
}
