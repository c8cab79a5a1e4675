/**
 * A layered (Sugiyama-style, simplified) layout, top to bottom: back edges of loops are
 * ignored, each node goes one layer below its deepest predecessor, nodes in a layer are ordered
 * by the mean position of their predecessors and placed under them, and rows are spaced by
 * the tallest node so boxes never overlap.
 */
/** The size the designer assumes for a node card before React Flow has measured it. */
export const cardSize = { width: 220, height: 110 } as const;

export interface LayoutNode { id: string; width: number; height: number }
export interface LayoutEdge { source: string; target: string }
export interface LayoutOptions { gapX: number; gapY: number; origin: { x: number; y: number } }

const defaults: LayoutOptions = { gapX: 60, gapY: 80, origin: { x: 0, y: 0 } };

function acyclicEdges(nodes: LayoutNode[], edges: LayoutEdge[]): LayoutEdge[] {
  const out = new Map<string, LayoutEdge[]>();
  for (const e of edges) out.set(e.source, [...(out.get(e.source) ?? []), e]);
  const state = new Map<string, 1 | 2>(); // 1 on the DFS stack, 2 finished
  const kept: LayoutEdge[] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.target);
      if (s === 1) continue; // back edge: a loop
      kept.push(e);
      if (s === undefined) visit(e.target);
    }
    state.set(id, 2);
  };
  const hasIncoming = new Set(edges.map((e) => e.target));
  // Roots first so loops are broken at their natural entry.
  for (const n of [...nodes].sort((a, b) => Number(hasIncoming.has(a.id)) - Number(hasIncoming.has(b.id))))
    if (!state.has(n.id)) visit(n.id);
  return kept;
}

export function layeredLayout(nodes: LayoutNode[], edges: LayoutEdge[], options: Partial<LayoutOptions> = {}): Map<string, { x: number; y: number }> {
  const o = { ...defaults, ...options };
  const ids = new Set(nodes.map((n) => n.id));
  const dag = acyclicEdges(nodes, edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target));
  const preds = new Map<string, string[]>();
  for (const e of dag) preds.set(e.target, [...(preds.get(e.target) ?? []), e.source]);

  const layer = new Map<string, number>();
  const layerOf = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    layer.set(id, 0); // guard; the DAG has no cycles
    const l = Math.max(-1, ...(preds.get(id) ?? []).map(layerOf)) + 1;
    layer.set(id, l);
    return l;
  };
  nodes.forEach((n) => layerOf(n.id));

  const layers: LayoutNode[][] = [];
  for (const n of nodes) (layers[layer.get(n.id)!] ??= []).push(n);
  const order = new Map<string, number>();
  for (const row of layers) {
    if (!row) continue;
    const key = (n: LayoutNode) => {
      const p = (preds.get(n.id) ?? []).map((id) => order.get(id)!).filter((v) => v !== undefined);
      return p.length ? p.reduce((a, b) => a + b, 0) / p.length : Number.MAX_SAFE_INTEGER;
    };
    row.sort((a, b) => key(a) - key(b));
    row.forEach((n, i) => order.set(n.id, i));
  }

  // Each node wants to sit centred under its predecessors; a left-to-right sweep then pushes
  // nodes right just enough to keep the gap, so rows never overlap and chains stay straight.
  const positions = new Map<string, { x: number; y: number }>();
  let y = o.origin.y;
  for (const row of layers) {
    if (!row) continue;
    let right = -Infinity;
    row.forEach((n, i) => {
      const predCentres = (preds.get(n.id) ?? []).filter((id) => positions.has(id))
        .map((id) => positions.get(id)!.x + (nodes.find((m) => m.id === id)?.width ?? 0) / 2);
      const want = predCentres.length ? predCentres.reduce((a, b) => a + b, 0) / predCentres.length - n.width / 2 : o.origin.x + i * (n.width + o.gapX);
      const x = Math.max(want, right + o.gapX);
      positions.set(n.id, { x: Math.round(x), y: Math.round(y) });
      right = x + n.width;
    });
    y += Math.max(...row.map((n) => n.height)) + o.gapY;
  }
  return positions;
}

export interface Box { x: number; y: number; width: number; height: number }
/** True when the boxes, each grown by `gap`, overlap. */
export const overlap = (a: Box, b: Box, gap: number) =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;

/** The first place at or below `want` where a box of `size` overlaps none of `taken` (new nodes never hide others). */
export function freeSpot(want: { x: number; y: number }, size: { width: number; height: number }, taken: Box[], gap = 20): { x: number; y: number } {
  const box = { ...want, ...size };
  for (let guard = 0; guard < 1000; guard++) {
    const hit = taken.find((t) => overlap(box, t, gap));
    if (!hit) return { x: box.x, y: box.y };
    box.y = hit.y + hit.height + gap;
  }
  return { x: box.x, y: box.y };
}
