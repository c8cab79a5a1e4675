import { describe, expect, it } from 'vitest';
import { descriptors } from '../test/fixtures';
import { attemptLabels, maskSecrets } from './journal';

describe('journal masking', () => {
  it('masks sensitive inputs and keeps the rest', () => {
    expect(maskSecrets({ source: '/a', password: 'hunter2', bandwidth: 5 }, descriptors[1])).toEqual({ source: '/a', password: '***', bandwidth: 5 });
  });
  it('copes with missing values and unknown descriptors', () => {
    expect(maskSecrets(undefined, descriptors[1])).toEqual({});
    expect(maskSecrets({ password: 'x' }, undefined)).toEqual({ password: 'x' });
  });
});

describe('journal attempts', () => {
  it('reads a timer\'s wake-up as resumed, not as a second attempt, and counts real retries', () => {
    const labels = attemptLabels([
      { sequence: 1, activityId: 'start', attempt: 1, isResume: false, status: 'Completed' },
      { sequence: 2, activityId: 'delay', attempt: 1, isResume: false, status: 'Suspended' },
      { sequence: 3, activityId: 'delay', attempt: 2, isResume: false, status: 'Completed' },
      { sequence: 4, activityId: 'copy', attempt: 1, isResume: false, status: 'Faulted' },
      { sequence: 5, activityId: 'copy', attempt: 2, isResume: false, status: 'Interrupted' },
      { sequence: 6, activityId: 'copy', attempt: 3, isResume: true, status: 'Completed' },
    ]);
    expect([...labels.values()]).toEqual(['1', '1', 'resumed after the timer', '1', '2', '3 (after restart)']);
  });
});
