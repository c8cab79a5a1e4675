import { describe, expect, it } from 'vitest';
import { descriptors } from '../test/fixtures';
import { canConnect, groupDescriptors, outcomePorts } from './ports';

describe('ports and palette', () => {
  it('takes outcome ports from the descriptor, or from connections for unknown types', () => {
    expect(outcomePorts('s', descriptors[0], [])).toEqual(['Done', 'Failed']);
    expect(outcomePorts('u', undefined, [{ source: 'u', outcome: 'Odd', target: 'x' }])).toEqual(['Odd']);
    expect(outcomePorts('u', undefined, [])).toEqual(['Done']);
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
