import { describe, expect, it } from 'vitest';
import { definition } from '../test/fixtures';
import { diffDefinitions } from './diff';

describe('version diff', () => {
  it('finds nothing between equal versions, positions aside', () => {
    const b = definition();
    b.activities[0].position = { x: 500, y: 500 };
    expect(diffDefinitions(definition(), b)).toEqual([]);
  });

  it('lists activities, inputs and connections added, removed and changed', () => {
    const a = definition();
    const b = definition();
    b.name = 'Back up a VM, v4';
    b.inputs.push({ name: 'full', type: 'boolean', required: false });
    b.activities[1].inputs.bandwidth = 200;
    b.activities = b.activities.filter((x) => x.id !== 'notify');
    b.activities.push({ id: 'finish', type: 'Flow.Finish', version: 1, inputs: {}, position: { x: 0, y: 300 } });
    b.connections = [{ source: 'snapshot', outcome: 'Done', target: 'copy' }, { source: 'copy', outcome: 'Done', target: 'finish' }];
    expect(diffDefinitions(a, b).map((r) => [r.kind, r.what, r.key, r.before, r.after])).toEqual([
      ['changed', 'workflow', 'name', 'Back up a VM', 'Back up a VM, v4'],
      ['added', 'input', 'full', undefined, '{"type":"boolean","required":false}'],
      ['removed', 'activity', 'notify', '{"type":"Flow.Notify@1","inputs.message":"failed {{ input.vm }}"}', undefined],
      ['changed', 'activity', 'copy.inputs.bandwidth', '100', '200'],
      ['added', 'activity', 'finish', undefined, '{"type":"Flow.Finish@1"}'],
      ['removed', 'connection', 'snapshot —Failed→ notify', 'snapshot —Failed→ notify', undefined],
      ['added', 'connection', 'copy —Done→ finish', undefined, 'copy —Done→ finish'],
    ]);
  });
});
