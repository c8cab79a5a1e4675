import { describe, expect, it } from 'vitest';
import { definition } from '../test/fixtures';
import { copySelection, newActivityId, pasteClip, pasteOffset, uniqueId } from './clipboard';
import { definitionToFlow } from './convert';
import { cardSize } from './layout';

describe('copy/paste', () => {
  const select = (ids: string[]) => {
    const g = definitionToFlow(definition());
    return { ...g, nodes: g.nodes.map((n) => ({ ...n, selected: ids.includes(n.id) })) };
  };

  it('copies selected nodes and only the edges between them', () => {
    const clip = copySelection(select(['snapshot', 'copy']));
    expect(clip.nodes.map((n) => n.id)).toEqual(['snapshot', 'copy']);
    expect(clip.edges.map((e) => e.target)).toEqual(['copy']);
  });

  it('pastes with new ids, remapped edges and bindings, offset positions', () => {
    const clip = copySelection(select(['snapshot', 'copy']));
    const pasted = pasteClip(clip, new Set(['snapshot', 'copy', 'notify']));
    expect(pasted.nodes.map((n) => n.id)).toEqual(['snapshot2', 'copy2']);
    expect(pasted.edges[0]).toMatchObject({ source: 'snapshot2', target: 'copy2', id: 'snapshot2:Done->copy2' });
    const copy2 = pasted.nodes[1];
    expect(copy2.data.activity.id).toBe('copy2');
    expect(copy2.data.activity.inputs.source).toBe('{{ steps.snapshot2.snapshotPath }}');
    expect(copy2.position).toEqual({ x: 40, y: 190 });
    expect(pasted.nodes.every((n) => n.selected)).toBe(true);
  });

  it('remaps bindings nested in list and object inputs', () => {
    const g = select(['snapshot', 'copy']);
    g.nodes[1].data.activity.inputs.extra = ['{{ steps.snapshot.disks[0] }}', { p: '{{ steps.snapshot.snapshotPath }}' }];
    const pasted = pasteClip(copySelection(g), new Set(['snapshot', 'copy', 'notify']));
    expect(pasted.nodes[1].data.activity.inputs.extra).toEqual(['{{ steps.snapshot2.disks[0] }}', { p: '{{ steps.snapshot2.snapshotPath }}' }]);
  });

  it('keeps bindings to activities outside the clip', () => {
    const clip = copySelection(select(['copy']));
    const pasted = pasteClip(clip, new Set(['snapshot', 'copy', 'notify']));
    expect(pasted.nodes[0].data.activity.inputs.source).toBe('{{ steps.snapshot.snapshotPath }}');
  });

  it('does not share objects with the original', () => {
    const g = select(['copy']);
    const pasted = pasteClip(copySelection(g), new Set(['copy']));
    pasted.nodes[0].data.activity.inputs.bandwidth = 5;
    expect(g.nodes[1].data.activity.inputs.bandwidth).toBe(100);
  });

  it('generates binding-safe unique ids', () => {
    expect(uniqueId('copy', new Set(['copy', 'copy2']))).toBe('copy3');
    expect(uniqueId('9 bad id!', new Set())).toBe('badid');
    expect(newActivityId('Backup.CreateSnapshot', new Set(['createSnapshot']))).toBe('createSnapshot2');
  });

  it('places pasted copies beside the originals and beside anything else already there', () => {
    const box = (x: number, y: number) => ({ x, y, ...cardSize });
    // One node copied: its copy goes right of it, not 40 px onto it.
    expect(pasteOffset([box(0, 0)], [box(0, 0)])).toEqual({ x: 260, y: 0 });
    // A node already right of it: one more step right.
    expect(pasteOffset([box(0, 0)], [box(0, 0), box(300, 50)])).toEqual({ x: 780, y: 0 });
    // A group moves by its whole width.
    expect(pasteOffset([box(0, 0), box(300, 0)], [box(0, 0), box(300, 0)])).toEqual({ x: 560, y: 0 });
  });
});
