import { describe, expect, it } from 'vitest';
import { definition } from '../test/fixtures';
import { definitionToFlow } from './convert';
import { editorReducer, initialEditorState } from './editorState';

describe('designer editor state', () => {
  const start = () => initialEditorState(definitionToFlow(definition()));

  it('makes a whole drag one undo step', () => {
    let s = start();
    for (const y of [10, 20, 30])
      s = editorReducer(s, { type: 'nodes', changes: [{ type: 'position', id: 'snapshot', position: { x: 0, y }, dragging: true }] });
    s = editorReducer(s, { type: 'nodes', changes: [{ type: 'position', id: 'snapshot', position: { x: 0, y: 30 }, dragging: false }] });
    expect(s.hist.past).toHaveLength(1);
    expect(s.hist.present.nodes[0].position.y).toBe(30);
    s = editorReducer(s, { type: 'undo' });
    expect(s.hist.present.nodes[0].position.y).toBe(0);
    s = editorReducer(s, { type: 'redo' });
    expect(s.hist.present.nodes[0].position.y).toBe(30);
  });

  it('removing a node removes its edges, and undo brings both back', () => {
    let s = start();
    s = editorReducer(s, { type: 'nodes', changes: [{ type: 'remove', id: 'snapshot' }] });
    expect(s.hist.present.nodes.map((n) => n.id)).toEqual(['copy', 'notify']);
    expect(s.hist.present.edges).toEqual([]);
    s = editorReducer(s, { type: 'undo' });
    expect(s.hist.present.nodes).toHaveLength(3);
    expect(s.hist.present.edges).toHaveLength(2);
  });

  it('does not record selection as an undo step, and keeps it across undo', () => {
    let s = start();
    s = editorReducer(s, { type: 'edit', edit: (g) => ({ ...g, edges: [] }) });
    s = editorReducer(s, { type: 'nodes', changes: [{ type: 'select', id: 'copy', selected: true }] });
    expect(s.hist.past).toHaveLength(1);
    s = editorReducer(s, { type: 'undo' });
    expect(s.hist.present.edges).toHaveLength(2);
    expect(s.hist.present.nodes.find((n) => n.id === 'copy')!.selected).toBe(true);
  });

  it('coalesces consecutive edits of one field into one undo step', () => {
    let s = start();
    const typeInto = (text: string) => editorReducer(s, {
      type: 'edit', key: 'copy/source',
      edit: (g) => ({ ...g, nodes: g.nodes.map((n) => (n.id === 'copy' ? { ...n, data: { activity: { ...n.data.activity, inputs: { source: text } } } } : n)) }),
    });
    s = typeInto('a');
    s = typeInto('ab');
    s = typeInto('abc');
    expect(s.hist.past).toHaveLength(1);
    s = editorReducer(s, { type: 'undo' });
    expect(s.hist.present.nodes[1].data.activity.inputs.source).toBe('{{ steps.snapshot.snapshotPath }}');
  });

  it('a node removal and its edge removals sent separately are one undo step', () => {
    let s = start();
    s = editorReducer(s, { type: 'edges', changes: [{ type: 'remove', id: 'snapshot:Done->copy' }, { type: 'remove', id: 'snapshot:Failed->notify' }], key: 'remove-1' });
    s = editorReducer(s, { type: 'nodes', changes: [{ type: 'remove', id: 'snapshot' }], key: 'remove-1' });
    expect(s.hist.past).toHaveLength(1);
    s = editorReducer(s, { type: 'undo' });
    expect(s.hist.present.nodes).toHaveLength(3);
    expect(s.hist.present.edges).toHaveLength(2);
  });
});
