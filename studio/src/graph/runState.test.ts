import { describe, expect, it } from 'vitest';
import type { InstanceDetail, RunEvent } from '../api/types';
import { applyRunEvent, progressFraction, runStateFromInstance, toActivityState } from './runState';

const instance: InstanceDetail = {
  id: 'i1', definitionId: 'backup-vm', definitionVersion: 3, status: 'Running', input: {}, variables: {},
  activities: { snapshot: { status: 'done', attempt: 1, outcome: 'Done' }, copy: { status: 'running', attempt: 1, progress: { done: 10, total: 100, message: 'copying', updatedAt: '2026-01-01T00:00:00Z' } } },
  incidents: [], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const ev = (e: Partial<RunEvent>): RunEvent => ({ kind: 'activity', instanceId: 'i1', at: '2026-01-01T00:00:00Z', ...e });

describe('node run state', () => {
  it('starts every activity pending and overlays the instance', () => {
    const s = runStateFromInstance(['snapshot', 'copy', 'notify'], instance);
    expect(s.nodes.snapshot.state).toBe('done');
    expect(s.nodes.copy).toMatchObject({ state: 'running', progress: { done: 10, total: 100 } });
    expect(s.nodes.notify).toEqual({ state: 'pending', attempt: 0 });
  });

  it('follows a retry cycle through events, counting attempts', () => {
    let s = runStateFromInstance(['snapshot', 'copy', 'notify'], instance);
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'Retrying' }));
    expect(s.nodes.copy.state).toBe('retrying');
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'Running' }));
    expect(s.nodes.copy).toMatchObject({ state: 'running', attempt: 2, progress: null });
    s = applyRunEvent(s, 'i1', ev({ kind: 'progress', activityId: 'copy', progress: { done: 50, total: 200, message: 'half' } }));
    expect(progressFraction(s.nodes.copy.progress)).toBe(0.25);
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'Faulted' }));
    expect(s.nodes.copy.state).toBe('failed');
    s = applyRunEvent(s, 'i1', ev({ kind: 'instance', status: 'faulted' }));
    expect(s.status).toBe('Faulted');
  });

  it('marks a pending node running on progress, ignores other instances and unknown words', () => {
    let s = runStateFromInstance(['notify'], { ...instance, activities: {} });
    s = applyRunEvent(s, 'i1', ev({ kind: 'progress', activityId: 'notify', progress: { done: 1, total: 0 } }));
    expect(s.nodes.notify.state).toBe('running');
    expect(progressFraction(s.nodes.notify.progress)).toBeNull();
    const same = applyRunEvent(s, 'i1', ev({ instanceId: 'other', activityId: 'notify', status: 'done' }));
    expect(same).toBe(s);
    expect(applyRunEvent(s, 'i1', ev({ activityId: 'notify', status: 'weird' })).nodes.notify.state).toBe('running');
    expect(toActivityState('Completed')).toBe('done');
  });
});
