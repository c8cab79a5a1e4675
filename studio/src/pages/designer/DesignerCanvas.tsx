import { Background, Controls, MarkerType, MiniMap, ReactFlow, useReactFlow, type Connection } from '@xyflow/react';
import { useEffect, useMemo, useRef, type DragEvent } from 'react';
import { CanvasContext } from '../../components/CanvasContext';
import { nodeTypes } from '../../components/ActivityNode';
import { paletteMime } from '../../components/Palette';
import { edgeToConnection } from '../../graph/convert';
import { cardSize } from '../../graph/layout';
import { outcomeOfHandle } from '../../graph/model';
import { canConnect } from '../../graph/ports';
import { fitToNodes } from './fit';
import type { WorkflowEditor } from './useWorkflowEditor';

const defaultEdgeOptions = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed }, labelBgPadding: [4, 2] as [number, number] };

const typingIn = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * The editable flowchart: drop from the palette, connect outcome ports to inputs, keyboard shortcuts.
 * The view is fitted only when `fitRequest` grows (a workflow was loaded) or on Shift+F / the Fit
 * button, never because nodes appeared: a drop must not move the view.
 */
export function DesignerCanvas({ editor, readOnly, onSave, fitRequest }: { editor: WorkflowEditor; readOnly: boolean; onSave: () => void; fitRequest: number }) {
  const flow = useReactFlow();
  const { graph, dispatch, actions } = editor;
  // Changes arriving in one task (a delete sends node and edge removals apart) share a key: one undo step.
  const batch = useRef({ id: 0, open: false });
  const batchKey = () => {
    if (!batch.current.open) {
      batch.current = { id: batch.current.id + 1, open: true };
      setTimeout(() => { batch.current.open = false; }, 0);
    }
    return `remove-${batch.current.id}`;
  };
  const info = useMemo(() => ({ descriptors: editor.byType, ports: editor.ports, problems: editor.problemMap, run: null }),
    [editor.byType, editor.ports, editor.problemMap]);

  // Runs after React Flow (a child) took the loaded nodes; the fit itself waits until they are measured.
  useEffect(() => {
    if (fitRequest > 0) fitToNodes(flow);
  }, [fitRequest, flow]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingIn(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (mod && k === 's') { e.preventDefault(); if (!readOnly) onSave(); return; }
      if (!mod && e.shiftKey && k === 'f') { fitToNodes(flow, 200); return; }
      if (readOnly) return;
      if (mod && k === 'z' && !e.shiftKey) { e.preventDefault(); actions.undo(); }
      else if (mod && (k === 'y' || (k === 'z' && e.shiftKey))) { e.preventDefault(); actions.redo(); }
      else if (mod && k === 'c') actions.copy();
      else if (mod && k === 'v') { e.preventDefault(); actions.paste(); }
      else if (mod && k === 'a') { e.preventDefault(); dispatch({ type: 'nodes', changes: graph.nodes.map((n) => ({ type: 'select', id: n.id, selected: true })) }); }
      else if (!mod && e.shiftKey && k === 'l') actions.layout();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, dispatch, flow, graph.nodes, onSave, readOnly]);

  const isValid = (c: Connection | { source: string; target: string; sourceHandle?: string | null }) => {
    const outcome = outcomeOfHandle(c.sourceHandle);
    return !!outcome && canConnect({ source: c.source, outcome, target: c.target }, graph.edges.map(edgeToConnection));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(paletteMime);
    if (!type || readOnly) return;
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    actions.addActivity(type, { x: Math.round(p.x - cardSize.width / 2), y: Math.round(p.y - 30) });
  };

  return (
    <CanvasContext.Provider value={info}>
      <div className="canvas" data-testid="canvas" onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }} onDrop={onDrop}>
        <ReactFlow
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={nodeTypes}
          defaultEdgeOptions={defaultEdgeOptions}
          onNodesChange={(changes) => dispatch({ type: 'nodes', changes: readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes, key: batchKey() })}
          onEdgesChange={(changes) => dispatch({ type: 'edges', changes: readOnly ? changes.filter((c) => c.type === 'select') : changes, key: batchKey() })}
          onConnect={(c) => { const o = outcomeOfHandle(c.sourceHandle); if (o && !readOnly) actions.connect(c.source, o, c.target); }}
          isValidConnection={isValid}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
          multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable nodeStrokeWidth={2} />
        </ReactFlow>
      </div>
    </CanvasContext.Provider>
  );
}
