import { Background, Controls, MarkerType, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useMemo } from 'react';
import type { ActivityDescriptor, WorkflowDefinition } from '../../api/types';
import { nodeTypes } from '../../components/ActivityNode';
import { CanvasContext } from '../../components/CanvasContext';
import { definitionToFlow } from '../../graph/convert';
import { outcomePorts } from '../../graph/ports';
import type { NodeRunState } from '../../graph/runState';

const edgeOptions = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed } };

/** The instance's flow, read-only, each node coloured by its state with a progress bar while running. */
export function RunCanvas({ definition, descriptors, states, onSelect }: {
  definition: WorkflowDefinition;
  descriptors: ActivityDescriptor[];
  states: Record<string, NodeRunState>;
  onSelect: (activityId: string | null) => void;
}) {
  const flow = useMemo(() => definitionToFlow(definition), [definition]);
  const byType = useMemo(() => new Map(descriptors.map((d) => [d.type, d])), [descriptors]);
  const edges = useMemo(() => flow.edges.map((e) => {
    const taken = states[e.source]?.outcome === e.data?.outcome && states[e.source]?.state === 'done';
    return taken ? { ...e, animated: false, className: 'edge-taken' } : e;
  }), [flow.edges, states]);
  const info = useMemo(() => ({
    descriptors: byType,
    ports: new Map(definition.activities.map((a) => [a.id, outcomePorts(a, byType.get(a.type), definition.connections)])),
    problems: new Map(),
    run: states,
  }), [byType, definition, states]);
  return (
    <CanvasContext.Provider value={info}>
      <div className="canvas run-canvas" data-testid="run-canvas">
        <ReactFlowProvider>
          <ReactFlow nodes={flow.nodes} edges={edges} nodeTypes={nodeTypes} defaultEdgeOptions={edgeOptions}
            nodesDraggable={false} nodesConnectable={false} elementsSelectable deleteKeyCode={null}
            onNodeClick={(_, n) => onSelect(n.id)} onPaneClick={() => onSelect(null)}
            fitView fitViewOptions={{ padding: 0.2, maxZoom: 1 }} proOptions={{ hideAttribution: true }}>
            <Background gap={16} />
            <Controls showInteractive={false} />
          </ReactFlow>
        </ReactFlowProvider>
      </div>
    </CanvasContext.Provider>
  );
}
