import type { ReactFlowInstance } from '@xyflow/react';

export const fitOptions = { padding: 0.2, maxZoom: 1 };

/**
 * Fits the view to the nodes. React Flow runs a fit only once the nodes are measured, so a fit
 * asked for on an empty canvas stays queued and fires when the first node appears: the
 * dropped node would jump. An empty canvas is therefore left as it is.
 */
export function fitToNodes(flow: Pick<ReactFlowInstance, 'getNodes' | 'fitView'>, duration?: number) {
  if (flow.getNodes().length > 0) void flow.fitView({ ...fitOptions, duration });
}
