import { describe, expect, it } from 'vitest';
import type { Backup } from '../api/types';
import { backupSeries, groupChains } from './chains';

let n = 0;
const b = (id: string, type: Backup['type'], parentId: string | null, minute: number, extra: Partial<Backup> = {}): Backup => ({
  id, vm: 'web1', host: 'local', repository: 'default', type, parentId, state: 'BackedUp', createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  completedAt: new Date(Date.UTC(2026, 0, 1, 0, minute, 30 + (n++ % 2) * 10)).toISOString(),
  virtualSize: 1000, storedSize: 100 + minute, quiesced: true, compressed: false, strategy: 'delta', volumes: [], ...extra,
});

describe('chain timeline grouping', () => {
  it('starts a chain at each full and follows incrementals by parent, in parent order', () => {
    const list = [
      b('i2', 'incremental', 'i1', 3), b('f2', 'full', null, 10), b('i1', 'incremental', 'f1', 2),
      b('f1', 'full', null, 1), b('j1', 'incremental', 'f2', 11), b('iso', 'isolated', null, 5),
    ];
    const chains = groupChains(list);
    expect(chains.map((c) => [c.id, c.backups.map((x) => x.id)])).toEqual([
      ['f1', ['f1', 'i1', 'i2']], ['iso', ['iso']], ['f2', ['f2', 'j1']],
    ]);
    expect(chains[0].storedSize).toBe(101 + 102 + 103);
    expect(chains[1].isolated).toBe(true);
    expect(chains.every((c) => !c.broken)).toBe(true);
  });

  it('orders by parent even when clocks disagree', () => {
    const chains = groupChains([b('f', 'full', null, 5), b('late', 'incremental', 'early', 1), b('early', 'incremental', 'f', 2)]);
    expect(chains[0].backups.map((x) => x.id)).toEqual(['f', 'early', 'late']);
  });

  it('puts incrementals whose full is gone into a broken chain, grouped by chainId', () => {
    const chains = groupChains([
      b('x1', 'incremental', 'gone', 1, { chainId: 'c9' }), b('x2', 'incremental', 'gone2', 2, { chainId: 'c9' }),
      b('f', 'full', null, 3, { chainId: 'c10' }),
    ]);
    expect(chains.map((c) => [c.id, c.broken, c.backups.length])).toEqual([['c9', true, 2], ['c10', false, 1]]);
  });

  it('builds chart series from finished backups only', () => {
    const s = backupSeries([b('f', 'full', null, 1), b('e', 'full', null, 2, { state: 'Error' }), b('c', 'full', null, 3, { completedAt: null })]);
    expect(s).toHaveLength(1);
    expect(s[0].seconds).toBeGreaterThanOrEqual(30);
    expect(s[0].bytes).toBe(101);
  });
});
