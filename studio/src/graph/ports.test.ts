import { describe, expect, it } from 'vitest';
import { descriptors } from '../test/fixtures';
import { canConnect, groupDescriptors, outcomePorts } from './ports';

describe('ports and palette', () => {
  it('takes outcome ports from the descriptor, or from connections for unknown types', () => {
    expect(outcomePorts({ id: 's', inputs: {} }, descriptors[0], [])).toEqual(['Done', 'Failed']);
    expect(outcomePorts({ id: 'u', inputs: {} }, undefined, [{ source: 'u', outcome: 'Odd', target: 'x' }])).toEqual(['Odd']);
    expect(outcomePorts({ id: 'u', inputs: {} }, undefined, [])).toEqual(['Done']);
    const finish = { ...descriptors[2], type: 'Flow.Finish', outcomes: [] };
    expect(outcomePorts({ id: 'end', inputs: {} }, finish, [])).toEqual([]);
  });

  it('adds the list items of dynamic-outcome activities (Switch cases) and keeps wired outcomes', () => {
    const sw = {
      type: 'Flow.Switch', version: 1, category: 'Flow', displayName: 'Switch', dynamicOutcomes: true, isTrigger: false, outputs: [], outcomes: ['Default'],
      inputs: [{ name: 'value', type: 'string', required: true, sensitive: false }, { name: 'cases', type: 'string[]', required: false, sensitive: false }],
    };
    const ports = outcomePorts({ id: 'sw', inputs: { value: '{{ input.kind }}', cases: ['full', 'incremental'] } }, sw,
      [{ source: 'sw', outcome: 'legacy', target: 'x' }]);
    expect(ports).toEqual(['Default', 'full', 'incremental', 'legacy']);
    expect(outcomePorts({ id: 'sw', inputs: { cases: '{{ input.cases }}' } }, sw, [])).toEqual(['Default']);
  });

  it('refuses self loops and duplicate connections', () => {
    const existing = [{ source: 'a', outcome: 'Done', target: 'b' }];
    expect(canConnect({ source: 'a', outcome: 'Done', target: 'a' }, existing)).toBe(false);
    expect(canConnect({ source: 'a', outcome: 'Done', target: 'b' }, existing)).toBe(false);
    expect(canConnect({ source: 'a', outcome: 'Failed', target: 'b' }, existing)).toBe(true);
  });

  it('groups by category, sorted, and filters by search', () => {
    expect(groupDescriptors(descriptors, '').map(([c, ds]) => [c, ds.map((d) => d.displayName)])).toEqual([
      ['Backup', ['Copy to staging', 'Create snapshot']],
      ['Flow', ['Notify']],
    ]);
    expect(groupDescriptors(descriptors, 'MESSAGE').map(([c]) => c)).toEqual(['Flow']);
    expect(groupDescriptors(descriptors, 'zzz')).toEqual([]);
  });
});
