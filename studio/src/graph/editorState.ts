import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createHistory, pushHistory, redo, undo, type History } from './history';
import type { ActivityNode, FlowGraph, OutcomeEdge } from './model';

/**
 * The designer's graph state: undoable history plus the graph as it was when a drag began,
 * so a whole drag is one undo step. A reducer keeps it pure (React may call it twice).
 */
export interface EditorState {
  hist: History<FlowGraph>;
  dragBase: FlowGraph | null;
  /** Key of the last edit; consecutive edits with the same key (typing in one field) are one undo step. */
  lastKey?: string;
}

export type EditorAction =
  /** `key`: removals of one user action (React Flow sends nodes and their edges separately) share it. */
  | { type: 'nodes'; changes: NodeChange<ActivityNode>[]; key?: string }
  | { type: 'edges'; changes: EdgeChange<OutcomeEdge>[]; key?: string }
  | { type: 'edit'; edit: (g: FlowGraph) => FlowGraph; key?: string }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset'; graph: FlowGraph };

export const initialEditorState = (graph: FlowGraph = { nodes: [], edges: [] }): EditorState => ({ hist: createHistory(graph), dragBase: null });

const replace = (s: EditorState, present: FlowGraph): EditorState => ({ ...s, hist: { ...s.hist, present } });
const record = (s: EditorState, present: FlowGraph): EditorState => ({ dragBase: null, hist: pushHistory(s.hist, present) });

/** Keeps the user's current selection across undo/redo: only the content is restored. */
function withSelection(target: FlowGraph, from: FlowGraph): FlowGraph {
  const sel = new Set(from.nodes.filter((n) => n.selected).map((n) => n.id));
  const measured = new Map(from.nodes.map((n) => [n.id, n.measured]));
  return {
    nodes: target.nodes.map((n) => ({ ...n, selected: sel.has(n.id), measured: measured.get(n.id) ?? n.measured })),
    edges: target.edges.map((e) => ({ ...e, selected: false })),
  };
}

/** Records a step unless this is a later part of the same keyed action (then it amends that step). */
function recordOnce(s: EditorState, present: FlowGraph, key: string | undefined): EditorState {
  if (key && key === s.lastKey) return replace(s, present);
  return { ...record(s, present), lastKey: key };
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  const g = s.hist.present;
  switch (a.type) {
    case 'nodes': {
      const nodes = applyNodeChanges(a.changes, g.nodes);
      const removed = new Set(a.changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
      if (removed.size) return recordOnce(s, { nodes, edges: g.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) }, a.key);
      const moves = a.changes.filter((c) => c.type === 'position');
      if (moves.some((c) => c.type === 'position' && c.dragging)) return { ...replace(s, { ...g, nodes }), dragBase: s.dragBase ?? g };
      if (moves.length && s.dragBase) {
        const next = { ...g, nodes };
        return { dragBase: null, hist: { ...pushHistory({ ...s.hist, present: s.dragBase }, next) } };
      }
      return replace(s, { ...g, nodes }); // selection, dimensions: not undo steps
    }
    case 'edges': {
      const edges = applyEdgeChanges(a.changes, g.edges);
      return a.changes.some((c) => c.type === 'remove') ? recordOnce(s, { ...g, edges }, a.key) : replace(s, { ...g, edges });
    }
    case 'edit':
      if (a.key && a.key === s.lastKey) return replace(s, a.edit(g));
      return { ...record(s, a.edit(g)), lastKey: a.key };
    case 'undo': {
      const h = undo(s.hist);
      return h === s.hist ? s : { dragBase: null, hist: { ...h, present: withSelection(h.present, g) } };
    }
    case 'redo': {
      const h = redo(s.hist);
      return h === s.hist ? s : { dragBase: null, hist: { ...h, present: withSelection(h.present, g) } };
    }
    case 'reset':
      return initialEditorState(a.graph);
  }
}
