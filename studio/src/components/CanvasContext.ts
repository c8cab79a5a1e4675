import { createContext, useContext } from 'react';
import type { ActivityDescriptor } from '../api/types';
import type { Problem } from '../graph/model';
import type { NodeRunState } from '../graph/runState';

/**
 * What activity nodes read besides their own data: descriptors (ports, titles), problems and
 * run states. A context keeps node objects plain, so React Flow does not re-measure them when
 * validation or progress changes.
 */
export interface CanvasInfo {
  descriptors: Map<string, ActivityDescriptor>;
  ports: Map<string, string[]>;
  problems: Map<string, Problem[]>;
  run: Record<string, NodeRunState> | null;
}

export const CanvasContext = createContext<CanvasInfo>({ descriptors: new Map(), ports: new Map(), problems: new Map(), run: null });
export const useCanvasInfo = () => useContext(CanvasContext);
