import { describe, expect, it } from 'vitest';
import { freeSpot, layeredLayout, type LayoutNode } from './layout';

type Box = LayoutNode & { x: number; y: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function boxes(nodes: LayoutNode[], edges: { source: string; target: string }[]): Box[] {
  const pos = layeredLayout(nodes, edges);
  return nodes.map((n) => ({ ...n, ...pos.get(n.id)! }));
}

describe('layered layout', () => {
  it('places every node and no two overlap, even with varied sizes, loops and fan-out', () => {
    const nodes: LayoutNode[] = Array.from({ length: 14 }, (_, i) => ({ id: `n${i}`, width: 150 + (i % 4) * 40, height: 60 + (i % 3) * 30 }));
    const edges = [
      ['n0', 'n1'], ['n0', 'n2'], ['n0', 'n3'], ['n1', 'n4'], ['n2', 'n4'], ['n3', 'n5'], ['n4', 'n6'],
      ['n5', 'n6'], ['n6', 'n1'] /* loop */, ['n6', 'n7'], ['n7', 'n8'], ['n7', 'n9'], ['n7', 'n10'], ['n10', 'n10'],
    ].map(([source, target]) => ({ source, target }));
    const laid = boxes(nodes, edges);
    expect(laid.every((b) => Number.isFinite(b.x) && Number.isFinite(b.y))).toBe(true);
    for (let i = 0; i < laid.length; i++)
      for (let j = i + 1; j < laid.length; j++) expect(overlaps(laid[i], laid[j]), `${laid[i].id} vs ${laid[j].id}`).toBe(false);
  });

  it('puts each node below its predecessors (ignoring loop back edges)', () => {
    const nodes = ['a', 'b', 'c', 'd'].map((id) => ({ id, width: 100, height: 50 }));
    const edges = [['a', 'b'], ['b', 'c'], ['a', 'c'], ['c', 'd'], ['d', 'b']].map(([source, target]) => ({ source, target }));
    const pos = layeredLayout(nodes, edges);
    expect(pos.get('a')!.y).toBeLessThan(pos.get('b')!.y);
    expect(pos.get('b')!.y).toBeLessThan(pos.get('c')!.y);
    expect(pos.get('c')!.y).toBeLessThan(pos.get('d')!.y);
  });

  it('keeps a chain straight and centres a child under its two parents', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, width: 100, height: 50 }));
    const edges = [['a', 'b'], ['b', 'c'], ['a', 'd'], ['c', 'e'], ['d', 'e']].map(([source, target]) => ({ source, target }));
    const pos = layeredLayout(nodes, edges);
    expect(pos.get('b')!.x).toBe(pos.get('a')!.x);
    expect(pos.get('d')!.x).toBeGreaterThan(pos.get('b')!.x);
    // e sits below c (layer 3) ... and d is only in layer 1, so e centres between c and d
    expect(pos.get('e')!.x).toBe(Math.round((pos.get('c')!.x + pos.get('d')!.x) / 2));
  });

  it('lays disconnected nodes side by side in the first row', () => {
    const pos = layeredLayout([{ id: 'x', width: 100, height: 40 }, { id: 'y', width: 100, height: 40 }], []);
    expect(pos.get('x')!.y).toBe(pos.get('y')!.y);
    expect(Math.abs(pos.get('x')!.x - pos.get('y')!.x)).toBeGreaterThanOrEqual(100);
  });
});

describe('freeSpot', () => {
  it('keeps the wanted spot when free, else moves below what is in the way', () => {
    const size = { width: 220, height: 100 };
    expect(freeSpot({ x: 0, y: 0 }, size, [])).toEqual({ x: 0, y: 0 });
    const taken = [{ x: 50, y: 0, width: 220, height: 100 }, { x: 0, y: 120, width: 220, height: 100 }];
    const spot = freeSpot({ x: 10, y: 10 }, size, taken);
    expect(spot).toEqual({ x: 10, y: 240 });
  });
});
