import { useCallback, useMemo, useReducer, useRef, useState } from 'react';
import type { ActivityDescriptor, WorkflowDefinition } from '../../api/types';
import type { WorkflowMeta } from '../../components/WorkflowPanel';
import { copySelection, newActivityId, pasteClip, pasteOffset } from '../../graph/clipboard';
import { definitionToFlow, edgeToConnection, flowToDefinition, connectionToEdge } from '../../graph/convert';
import { editorReducer, initialEditorState } from '../../graph/editorState';
import { canRedo, canUndo } from '../../graph/history';
import { cardSize, freeSpot, layeredLayout } from '../../graph/layout';
import type { ActivityBody, FlowGraph, Problem } from '../../graph/model';
import { canConnect, outcomePorts } from '../../graph/ports';
import { scopeFor } from '../../graph/scope';
import { problemsByActivity, validateDefinition } from '../../graph/validate';

export const blankMeta = (id = 'new-workflow'): WorkflowMeta => ({
  id, name: 'New workflow', description: '', version: 0, isPublished: false, inputs: [], variables: [], locks: [],
});

/** What "unsaved changes" compares: the content, not the version counters the server assigns. */
const contentKey = (d: WorkflowDefinition) =>
  JSON.stringify([d.id, d.name, d.description ?? '', d.inputs, d.variables, d.locks, d.activities, d.connections]);

const nodeSize = (n: FlowGraph['nodes'][number]) => ({ width: n.measured?.width ?? cardSize.width, height: n.measured?.height ?? cardSize.height });

/** The designer's model: graph with undo/redo, workflow metadata, validation, clipboard. */
export function useWorkflowEditor(descriptors: ActivityDescriptor[]) {
  const [state, dispatch] = useReducer(editorReducer, undefined, () => initialEditorState());
  const [meta, setMeta] = useState<WorkflowMeta>(() => blankMeta());
  // Until a workflow is loaded the editor holds a blank new one, unchanged since it was "saved".
  const [savedKey, setSavedKey] = useState<string>(() => contentKey({ ...blankMeta(), activities: [], connections: [] }));
  // Server problems describe the content that was sent; once it changes they no longer apply.
  const [server, setServer] = useState<{ key: string; problems: Problem[] }>({ key: '', problems: [] });
  const clip = useRef<FlowGraph | null>(null);
  const graph = state.hist.present;

  const definition = useMemo(() => flowToDefinition({ ...meta, activities: [], connections: [] }, graph), [meta, graph]);
  const byType = useMemo(() => new Map(descriptors.map((d) => [d.type, d])), [descriptors]);
  const currentKey = useMemo(() => contentKey(definition), [definition]);
  const serverProblems = server.key === currentKey ? server.problems : [];
  const problems = useMemo(() => [...validateDefinition(definition, descriptors), ...serverProblems], [definition, descriptors, serverProblems]);
  const problemMap = useMemo(() => problemsByActivity(problems), [problems]);
  const ports = useMemo(
    () => new Map(definition.activities.map((a) => [a.id, outcomePorts(a, byType.get(a.type), definition.connections)])),
    [definition, byType],
  );
  const selectedNodes = graph.nodes.filter((n) => n.selected);
  const selected = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  const scope = useMemo(() => (selected ? scopeFor(selected.id, definition, descriptors) : []), [selected, definition, descriptors]);

  const load = useCallback((d: WorkflowDefinition, saved = true) => {
    const { activities: _a, connections: _c, ...m } = d;
    setMeta(m);
    dispatch({ type: 'reset', graph: definitionToFlow(d) });
    setServer({ key: '', problems: [] });
    if (saved) setSavedKey(contentKey(d));
  }, []);

  const markSaved = useCallback((sent: WorkflowDefinition, answer: WorkflowDefinition) => {
    setMeta((m) => ({ ...m, version: answer.version ?? m.version, isPublished: answer.isPublished ?? m.isPublished }));
    setSavedKey(contentKey(sent));
    setServer({ key: '', problems: [] });
  }, []);
  const setServerProblems = useCallback((sent: WorkflowDefinition, problems: Problem[]) => setServer({ key: contentKey(sent), problems }), []);

  const edit = useCallback((fn: (g: FlowGraph) => FlowGraph, key?: string) => dispatch({ type: 'edit', edit: fn, key }), []);

  const actions = useMemo(() => ({
    addActivity(type: string, position: { x: number; y: number }) {
      const d = descriptors.find((x) => x.type === type);
      edit((g) => {
        const id = newActivityId(type, new Set(g.nodes.map((n) => n.id)));
        const activity: ActivityBody = { id, type, version: d?.version ?? 1, displayName: null, inputs: {} };
        const at = freeSpot(position, cardSize, g.nodes.map((n) => ({ ...n.position, ...nodeSize(n) })));
        return { nodes: [...g.nodes.map((n) => ({ ...n, selected: false })), { id, type: 'activity', position: at, selected: true, data: { activity } }], edges: g.edges };
      });
    },
    updateActivity(id: string, patch: Partial<ActivityBody>, key?: string) {
      edit((g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === id ? { ...n, data: { activity: { ...n.data.activity, ...patch, id } } } : n)) }), key);
    },
    connect(source: string, outcome: string, target: string) {
      edit((g) => (canConnect({ source, outcome, target }, g.edges.map(edgeToConnection))
        ? { ...g, edges: [...g.edges, connectionToEdge({ source, outcome, target })] } : g));
    },
    deleteSelected() {
      edit((g) => {
        const gone = new Set(g.nodes.filter((n) => n.selected).map((n) => n.id));
        return { nodes: g.nodes.filter((n) => !gone.has(n.id)), edges: g.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)) };
      });
    },
    copy() {
      const c = copySelection(state.hist.present);
      if (c.nodes.length) clip.current = c;
      return c.nodes.length;
    },
    paste() {
      const c = clip.current;
      if (!c) return;
      edit((g) => {
        const box = (n: FlowGraph['nodes'][number]) => ({ ...n.position, ...nodeSize(n) });
        const p = pasteClip(c, new Set(g.nodes.map((n) => n.id)), pasteOffset(c.nodes.map(box), g.nodes.map(box)));
        return { nodes: [...g.nodes.map((n) => ({ ...n, selected: false })), ...p.nodes], edges: [...g.edges, ...p.edges] };
      });
    },
    layout() {
      edit((g) => {
        const pos = layeredLayout(g.nodes.map((n) => ({ id: n.id, ...nodeSize(n) })), g.edges, { origin: { x: 0, y: 0 } });
        return { ...g, nodes: g.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? n.position })) };
      });
    },
    undo: () => dispatch({ type: 'undo' }),
    redo: () => dispatch({ type: 'redo' }),
  }), [descriptors, edit, state.hist.present]);

  return {
    graph, dispatch, meta, setMeta, definition, problems, problemMap, ports, byType, selected, selectedCount: selectedNodes.length,
    scope, load, markSaved, setServerProblems, actions,
    dirty: currentKey !== savedKey,
    canUndo: canUndo(state.hist), canRedo: canRedo(state.hist), hasClip: () => !!clip.current,
  };
}

export type WorkflowEditor = ReturnType<typeof useWorkflowEditor>;
