import type { ActivityDescriptor, Connection, WorkflowDefinition } from '../api/types';

/** Something a binding may refer to from a given activity. */
export interface ScopeEntry {
  expression: string; // e.g. "steps.snapshot.path"
  type: string;
  source: 'input' | 'variable' | 'step' | 'instance';
  description?: string | null;
}

/** Activities that run before `activityId` on some path: those from which it is reachable. */
export function ancestors(activityId: string, connections: Connection[]): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const c of connections) incoming.set(c.target, [...(incoming.get(c.target) ?? []), c.source]);
  const seen = new Set<string>();
  const stack = [...(incoming.get(activityId) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(incoming.get(id) ?? []));
  }
  // In a loop the activity reaches itself; its own outputs are not "earlier" on the first pass.
  seen.delete(activityId);
  return seen;
}

type ScopeSource = Pick<WorkflowDefinition, 'inputs' | 'variables' | 'activities' | 'connections'>;

/** Everything in scope for bindings of `activityId`: workflow inputs, variables, outputs of earlier activities. */
export function scopeFor(activityId: string, def: ScopeSource, descriptors: ActivityDescriptor[]): ScopeEntry[] {
  const byType = new Map(descriptors.map((d) => [d.type, d]));
  const entries: ScopeEntry[] = [
    ...def.inputs.map((i) => ({ expression: `input.${i.name}`, type: i.type, source: 'input' as const, description: i.description })),
    ...def.variables.map((v) => ({ expression: `variables.${v.name}`, type: v.type, source: 'variable' as const })),
  ];
  const before = ancestors(activityId, def.connections);
  for (const a of def.activities) {
    if (!before.has(a.id)) continue;
    for (const o of byType.get(a.type)?.outputs ?? [])
      entries.push({ expression: `steps.${a.id}.${o.name}`, type: o.type, source: 'step', description: o.description });
  }
  for (const f of ['id', 'definitionId', 'correlationId']) entries.push({ expression: `instance.${f}`, type: 'string', source: 'instance' });
  return entries;
}

export interface Completion {
  /** Where the partial expression starts in the text; replace [from, cursor) with `insert`. */
  from: number;
  partial: string;
  items: ScopeEntry[];
}

/**
 * Completion at the cursor: if the cursor is inside an unclosed `{{`, offers scope entries
 * matching what was typed (prefix matches first, then substring matches).
 */
export function completeAt(text: string, cursor: number, scope: ScopeEntry[]): Completion | null {
  const before = text.slice(0, cursor);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return null;
  let from = open + 2;
  while (from < cursor && before[from] === ' ') from++;
  const partial = before.slice(from).toLowerCase();
  if (/\s/.test(partial)) return null;
  const prefix = scope.filter((s) => s.expression.toLowerCase().startsWith(partial));
  const inner = scope.filter((s) => !prefix.includes(s) && s.expression.toLowerCase().includes(partial));
  return { from, partial, items: [...prefix, ...inner] };
}

/** Applies a chosen completion: inserts the expression and closes the binding if it was open. */
export function applyCompletion(text: string, cursor: number, c: Completion, entry: ScopeEntry): { text: string; cursor: number } {
  const rest = text.slice(cursor);
  const closes = /^\s*[A-Za-z0-9_.-]*\s*\}\}/.test(rest);
  const tail = closes ? rest.replace(/^[A-Za-z0-9_.-]*/, '') : ' }}' + rest;
  const head = text.slice(0, c.from) + entry.expression;
  return { text: head + tail, cursor: head.length + (closes ? 0 : 3) };
}
