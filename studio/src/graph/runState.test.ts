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

  it('stops what still ran when the run ends, and skips what a finished or cancelled run never reached', () => {
    const cancelled = runStateFromInstance(['snapshot', 'copy', 'notify'], { ...instance, status: 'Cancelled' });
    expect(cancelled.nodes.copy).toMatchObject({ state: 'cancelled', progress: null });
    expect(cancelled.nodes.notify.state).toBe('skipped');
    expect(cancelled.nodes.snapshot.state).toBe('done');
    // Live: the instance's end arrives as an event.
    let s = runStateFromInstance(['snapshot', 'copy', 'notify'], instance);
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'done' }));
    s = applyRunEvent(s, 'i1', ev({ kind: 'instance', status: 'Finished' }));
    expect(s.nodes.notify.state).toBe('skipped');
    // A faulted run may be retried: its pending nodes stay pending.
    const faulted = runStateFromInstance(['snapshot', 'copy', 'notify'], { ...instance, status: 'Faulted' });
    expect(faulted.nodes.notify.state).toBe('pending');
    expect(faulted.nodes.copy.state).toBe('cancelled');
  });

  it('shows a durable timer as suspended until its moment', () => {
    const s = runStateFromInstance(['wait'], { ...instance, status: 'Suspended', activities: { wait: { status: 'suspended', attempt: 1, resumeAt: '2026-12-01T06:00:00Z' } } });
    expect(s.nodes.wait).toMatchObject({ state: 'suspended', resumeAt: '2026-12-01T06:00:00Z' });
  });

  it('shows a timer suspended with its moment from the event alone, and the wait of a durable retry as retrying', () => {
    let s = runStateFromInstance(['wait', 'copy'], { ...instance, activities: { wait: { status: 'running', attempt: 1 } } });
    s = applyRunEvent(s, 'i1', ev({ activityId: 'wait', status: 'suspended', resumeAt: '2026-12-01T06:00:00Z' }));
    // The same shape as the instance's answer for a suspended timer.
    expect(s.nodes.wait).toMatchObject({ state: 'suspended', attempt: 1, resumeAt: '2026-12-01T06:00:00Z' });
    s = applyRunEvent(s, 'i1', ev({ activityId: 'wait', status: 'running' }));
    expect(s.nodes.wait).toMatchObject({ state: 'running', attempt: 1, resumeAt: null });
    // A failed attempt, then its wait for the durable retry, then the retry.
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'running' }));
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'failed', message: 'transient' }));
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'retrying', message: 'transient', resumeAt: '2026-12-01T06:05:00Z' }));
    expect(s.nodes.copy).toMatchObject({ state: 'retrying', resumeAt: '2026-12-01T06:05:00Z' });
    s = applyRunEvent(s, 'i1', ev({ activityId: 'copy', status: 'running' }));
    expect(s.nodes.copy).toMatchObject({ state: 'running', attempt: 2, resumeAt: null });
  });
});
