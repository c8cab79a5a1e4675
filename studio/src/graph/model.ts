import type { Edge, Node } from '@xyflow/react';
import type { ActivityDefinition } from '../api/types';

/** An activity as the canvas holds it: the definition without its position (the node has that). */
export type ActivityBody = Omit<ActivityDefinition, 'position'>;

export type ActivityNodeData = { activity: ActivityBody };
export type ActivityNode = Node<ActivityNodeData, 'activity'>;
export type OutcomeEdgeData = { outcome: string };
export type OutcomeEdge = Edge<OutcomeEdgeData>;

/** The graph part of a definition, as the designer edits it. */
export interface FlowGraph {
  nodes: ActivityNode[];
  edges: OutcomeEdge[];
}

/** A validation problem, from the server (`problems`) or from the studio's own checks. */
export interface Problem {
  activityId?: string | null;
  path?: string | null;
  message: string;
}

export const inputHandle = 'in';
const outPrefix = 'out:';
export const outcomeHandle = (outcome: string) => outPrefix + outcome;
export const outcomeOfHandle = (handle: string | null | undefined): string | undefined =>
  handle?.startsWith(outPrefix) ? handle.slice(outPrefix.length) : undefined;
export const edgeId = (source: string, outcome: string, target: string) => `${source}:${outcome}->${target}`;
