import type { WorkflowDefinition } from '../api/types';

/** One difference between two versions, as a row of the side-by-side view. */
export interface DiffRow {
  kind: 'added' | 'removed' | 'changed';
  /** What it concerns: `workflow`, `input`, `variable`, `lock`, `activity` or `connection`. */
  what: string;
  /** The name or id, and for a change inside an activity the field (`delay.inputs.seconds`). */
  key: string;
  before?: string;
  after?: string;
}

const show = (v: unknown) => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function byKey<T>(what: string, before: T[], after: T[], key: (t: T) => string, fields: (t: T) => Record<string, unknown>): DiffRow[] {
  const rows: DiffRow[] = [];
  const old = new Map(before.map((t) => [key(t), t]));
  const now = new Map(after.map((t) => [key(t), t]));
  for (const [k, t] of old) if (!now.has(k)) rows.push({ kind: 'removed', what, key: k, before: show(fields(t)) });
  for (const [k, t] of now) {
    const o = old.get(k);
    if (!o) { rows.push({ kind: 'added', what, key: k, after: show(fields(t)) }); continue; }
    const a = fields(o);
    const b = fields(t);
    for (const f of [...new Set([...Object.keys(a), ...Object.keys(b)])])
      if (!same(a[f], b[f])) rows.push({ kind: 'changed', what, key: `${k}.${f}`, before: show(a[f]), after: show(b[f]) });
  }
  return rows;
}

/**
 * What changed from `before` to `after`: workflow fields, inputs, variables, locks, activities (type,
 * name, each input, retry, timeout) and connections. Positions are left out: moving a node changes
 * how the flow looks, not what it does.
 */
export function diffDefinitions(before: WorkflowDefinition, after: WorkflowDefinition): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const f of ['name', 'description'] as const)
    if ((before[f] ?? '') !== (after[f] ?? '')) rows.push({ kind: 'changed', what: 'workflow', key: f, before: before[f] ?? '', after: after[f] ?? '' });
  const entry = <T extends object>(t: T) => ({ ...t, name: undefined }) as Record<string, unknown>;
  rows.push(...byKey('input', before.inputs, after.inputs, (i) => i.name, entry));
  rows.push(...byKey('variable', before.variables, after.variables, (v) => v.name, entry));
  rows.push(...byKey('lock', before.locks ?? [], after.locks ?? [], (l) => l.name, entry));
  rows.push(...byKey('activity', before.activities, after.activities, (a) => a.id, (a) => {
    const fields: Record<string, unknown> = { type: `${a.type}@${a.version}`, displayName: a.displayName ?? undefined, retry: a.retry ?? undefined, timeoutSeconds: a.timeoutSeconds ?? undefined };
    for (const [name, value] of Object.entries(a.inputs ?? {})) fields[`inputs.${name}`] = value;
    return fields;
  }));
  const link = (c: { source: string; outcome: string; target: string }) => `${c.source} —${c.outcome}→ ${c.target}`;
  rows.push(...byKey('connection', before.connections, after.connections, link, () => ({}))
    .map((r) => ({ ...r, before: r.kind === 'removed' ? r.key : undefined, after: r.kind === 'added' ? r.key : undefined })));
  return rows;
}
