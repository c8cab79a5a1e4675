import type { ActivityDefinition, Connection, WorkflowDefinition } from '../api/types';
import {
  edgeId, inputHandle, outcomeHandle, outcomeOfHandle,
  type ActivityNode, type FlowGraph, type OutcomeEdge,
} from './model';

export function activityToNode(a: ActivityDefinition): ActivityNode {
  const { position, ...activity } = a;
  return { id: a.id, type: 'activity', position: { x: position?.x ?? 0, y: position?.y ?? 0 }, data: { activity } };
}

export function connectionToEdge(c: Connection): OutcomeEdge {
  return {
    id: edgeId(c.source, c.outcome, c.target),
    source: c.source,
    target: c.target,
    sourceHandle: outcomeHandle(c.outcome),
    targetHandle: inputHandle,
    label: c.outcome,
    data: { outcome: c.outcome },
  };
}

/** Definition -> React Flow nodes and edges. Connections to unknown activities are dropped. */
export function definitionToFlow(def: Pick<WorkflowDefinition, 'activities' | 'connections'>): FlowGraph {
  const ids = new Set(def.activities.map((a) => a.id));
  return {
    nodes: def.activities.map(activityToNode),
    edges: def.connections.filter((c) => ids.has(c.source) && ids.has(c.target)).map(connectionToEdge),
  };
}

export function nodeToActivity(n: ActivityNode): ActivityDefinition {
  const a = n.data.activity;
  return { ...a, id: n.id, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) } };
}

export function edgeToConnection(e: OutcomeEdge): Connection {
  const outcome = e.data?.outcome ?? outcomeOfHandle(e.sourceHandle) ?? 'Done';
  return { source: e.source, outcome, target: e.target };
}

/** Nodes and edges -> the definition's activities and connections, keeping every other field of `base`. */
export function flowToDefinition(base: WorkflowDefinition, graph: FlowGraph): WorkflowDefinition {
  return {
    ...base,
    activities: graph.nodes.map(nodeToActivity),
    connections: graph.edges.map(edgeToConnection),
  };
}
