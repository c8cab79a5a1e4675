import { renameStepRefs } from './bindings';
import { overlap, type Box } from './layout';
import { edgeId, type ActivityNode, type FlowGraph, type OutcomeEdge } from './model';

/** Selected nodes plus the edges that run between two of them. */
export function copySelection(graph: FlowGraph): FlowGraph {
  const nodes = graph.nodes.filter((n) => n.selected);
  const ids = new Set(nodes.map((n) => n.id));
  return {
    nodes: nodes.map((n) => structuredClone({ ...n, selected: false })),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e, selected: false })),
  };
}

/** `base`, `base2`, `base3`… the first not in `taken`. Ids stay binding-safe (letters, digits, _ and -). */
export function uniqueId(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '').replace(/^[^A-Za-z_]+/, '') || 'activity';
  if (!taken.has(clean)) return clean;
  const stem = clean.replace(/\d+$/, '');
  for (let i = 2; ; i++) if (!taken.has(stem + i)) return stem + i;
}

/** An id for a new activity of `type`: its last dotted segment in camelCase ("Backup.CreateSnapshot" -> "createSnapshot"). */
export function newActivityId(type: string, taken: Set<string>): string {
  const last = type.split('.').pop() ?? 'activity';
  return uniqueId(last.charAt(0).toLowerCase() + last.slice(1), taken);
}

/** Renames step references in every string of a value, however deep (bindings may sit in lists and objects). */
function remap(value: unknown, rename: (id: string) => string | undefined): unknown {
  if (typeof value === 'string') return renameStepRefs(value, rename);
  if (Array.isArray(value)) return value.map((v) => remap(v, rename));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, rename)]));
  return value;
}

const remapInputs = (inputs: Record<string, unknown>, rename: (id: string) => string | undefined) =>
  remap(inputs, rename) as Record<string, unknown>;

/**
 * Where a pasted group goes: beside the copied boxes (shifted right by the group's width and a gap),
 * and further right until no copy covers a node already on the canvas. A fixed 40 px shift put the
 * copies onto their originals.
 */
export function pasteOffset(clip: Box[], taken: Box[], gap = 40): { x: number; y: number } {
  if (!clip.length) return { x: 0, y: 0 };
  const left = Math.min(...clip.map((b) => b.x));
  const width = Math.max(...clip.map((b) => b.x + b.width)) - left;
  for (let step = 1; ; step++) {
    const dx = step * (width + gap);
    if (!clip.some((b) => taken.some((t) => overlap({ ...b, x: b.x + dx }, t, gap / 2)))) return { x: dx, y: 0 };
  }
}

/**
 * Pastes a clip with fresh ids, shifted by `offset`. Bindings that referred to a copied activity
 * now refer to its copy; references to activities outside the clip are kept. Pasted nodes come
 * selected, the rest are deselected by the caller.
 */
export function pasteClip(clip: FlowGraph, existing: Set<string>, offset = { x: 40, y: 40 }): FlowGraph & { idMap: Map<string, string> } {
  const taken = new Set(existing);
  const idMap = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = uniqueId(n.id, taken);
    taken.add(id);
    idMap.set(n.id, id);
  }
  const rename = (id: string) => idMap.get(id);
  const nodes: ActivityNode[] = clip.nodes.map((n) => {
    const id = idMap.get(n.id)!;
    const activity = { ...n.data.activity, id, inputs: remapInputs(n.data.activity.inputs, rename) };
    return { ...n, id, selected: true, position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, data: { activity } };
  });
  const edges: OutcomeEdge[] = clip.edges.map((e) => {
    const source = idMap.get(e.source)!;
    const target = idMap.get(e.target)!;
    const outcome = e.data?.outcome ?? '';
    return { ...e, id: edgeId(source, outcome, target), source, target, selected: false };
  });
  return { nodes, edges, idMap };
}
