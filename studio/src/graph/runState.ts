import type { ActivityState, InstanceDetail, InstanceStatus, Progress, RunEvent } from '../api/types';
import { instanceStatuses } from '../api/types';

/** What the run view draws on one node. */
export interface NodeRunState {
  state: ActivityState;
  attempt: number;
  progress?: Progress | null;
  outcome?: string | null;
  /** When a suspended activity (a durable timer) or a retrying one (waiting for its durable retry) continues. */
  resumeAt?: string | null;
}

export interface RunState {
  status: InstanceStatus | string;
  nodes: Record<string, NodeRunState>;
}

const activityStates: Record<string, ActivityState> = {
  pending: 'pending', scheduled: 'pending', waiting: 'pending',
  running: 'running', started: 'running', executing: 'running', resumed: 'running',
  done: 'done', completed: 'done', finished: 'done', succeeded: 'done',
  failed: 'failed', faulted: 'failed', error: 'failed',
  suspended: 'suspended', cancelled: 'cancelled', canceled: 'cancelled', interrupted: 'cancelled', skipped: 'skipped',
  retrying: 'retrying', retry: 'retrying',
};

/** States in which an activity still holds the run: the run's end stops them. */
const unfinished: ActivityState[] = ['running', 'suspended', 'retrying'];

/** Normalises a server status word (any case, a few synonyms) to one of the node states. */
export function toActivityState(status: string | undefined | null): ActivityState | undefined {
  return status ? activityStates[status.toLowerCase()] : undefined;
}

/** Initial states: every activity of the definition pending, then what the instance reports. */
export function runStateFromInstance(activityIds: string[], instance: InstanceDetail): RunState {
  const nodes: Record<string, NodeRunState> = {};
  for (const id of activityIds) nodes[id] = { state: 'pending', attempt: 0 };
  for (const [id, a] of Object.entries(instance.activities ?? {}))
    nodes[id] = { state: toActivityState(a.status) ?? 'pending', attempt: a.attempt ?? 0, progress: a.progress, outcome: a.outcome, resumeAt: a.resumeAt };
  return endRun({ status: instance.status, nodes });
}

/**
 * A run that ended leaves nothing running: what still ran was stopped (cancelled), and on a finished or
 * cancelled run what never started was skipped. A faulted run keeps its pending nodes: a retry may reach them.
 */
function endRun(s: RunState): RunState {
  const status = String(s.status);
  if (!['Finished', 'Cancelled', 'Faulted'].includes(status)) return s;
  const nodes = Object.fromEntries(Object.entries(s.nodes).map(([id, n]) => {
    if (unfinished.includes(n.state)) return [id, { ...n, state: 'cancelled' as const, progress: null }];
    if (n.state === 'pending' && status !== 'Faulted') return [id, { ...n, state: 'skipped' as const }];
    return [id, n];
  }));
  return { ...s, nodes };
}

/** Applies one server event; events for other instances are ignored. Returns a new state. */
export function applyRunEvent(s: RunState, instanceId: string, e: RunEvent): RunState {
  if (e.instanceId !== instanceId) return s;
  if (e.kind === 'instance') {
    const status = instanceStatuses.find((x) => x.toLowerCase() === e.status?.toLowerCase()) ?? e.status ?? s.status;
    return endRun({ ...s, status });
  }
  if (!e.activityId) return s;
  const prev = s.nodes[e.activityId] ?? { state: 'pending', attempt: 0 };
  let next: NodeRunState = prev;
  if (e.kind === 'activity') {
    const state = toActivityState(e.status) ?? prev.state;
    // A new attempt starts when a node goes running after retrying/failed.
    const attempt = state === 'running' && (prev.state === 'retrying' || prev.state === 'failed' || prev.attempt === 0) ? prev.attempt + 1 : prev.attempt;
    // A suspension says when it continues (a timer: suspended; a durable retry's wait: retrying), as the instance's answer does.
    const resumeAt = state === 'suspended' || state === 'retrying' ? e.resumeAt ?? null : null;
    next = { ...prev, state, attempt, resumeAt, progress: state === 'done' ? prev.progress : state === 'running' && prev.state !== 'running' ? null : prev.progress };
  } else if (e.kind === 'progress' && e.progress) {
    next = { ...prev, state: prev.state === 'pending' ? 'running' : prev.state, progress: { ...e.progress, updatedAt: e.at } };
  }
  return next === prev ? s : { ...s, nodes: { ...s.nodes, [e.activityId]: next } };
}

/** Fraction 0..1 of a progress report, or null when its total is unknown. */
export function progressFraction(p: Progress | null | undefined): number | null {
  if (!p || !(p.total > 0)) return null;
  return Math.min(1, Math.max(0, p.done / p.total));
}

export const isInstanceActive = (status: string) => status === 'Running' || status === 'Waiting' || status === 'Suspended';
