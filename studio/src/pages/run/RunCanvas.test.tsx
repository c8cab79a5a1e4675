import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { runStateFromInstance, applyRunEvent } from '../../graph/runState';
import { definition, descriptors } from '../../test/fixtures';
import { RunCanvas } from './RunCanvas';

afterEach(cleanup);

describe('RunCanvas', () => {
  it('draws each node with its state, ports per outcome and a progress bar while running', () => {
    const def = definition();
    let run = runStateFromInstance(def.activities.map((a) => a.id), {
      id: 'i', definitionId: def.id, definitionVersion: 3, status: 'Running', input: {}, variables: {}, incidents: [],
      createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
      activities: { snapshot: { status: 'done', attempt: 1, outcome: 'Done' } },
    });
    run = applyRunEvent(run, 'i', { kind: 'progress', instanceId: 'i', activityId: 'copy', progress: { done: 3, total: 4, message: 'copying' }, at: '' });
    render(<RunCanvas definition={def} descriptors={descriptors} states={run.nodes} onSelect={() => {}} />);
    expect(screen.getByTestId('node-snapshot').getAttribute('data-state')).toBe('done');
    expect(screen.getByTestId('node-copy').getAttribute('data-state')).toBe('running');
    expect(screen.getByTestId('node-notify').getAttribute('data-state')).toBe('pending');
    expect(screen.getByTestId('progress-copy').getAttribute('aria-valuenow')).toBe('75');
    expect(screen.getByTestId('port-snapshot-out-Failed')).toBeTruthy();
    expect(screen.getByTestId('port-copy-in')).toBeTruthy();
  });
});
