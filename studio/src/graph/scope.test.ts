import { describe, expect, it } from 'vitest';
import { definition, descriptors } from '../test/fixtures';
import { ancestors, applyCompletion, completeAt, scopeFor } from './scope';

describe('binding scope', () => {
  it('offers inputs, variables and outputs of earlier activities only', () => {
    const exprs = scopeFor('copy', definition(), descriptors).map((e) => e.expression);
    expect(exprs).toEqual(['input.vm', 'variables.attempts', 'steps.snapshot.snapshotPath', 'steps.snapshot.disks',
      'instance.id', 'instance.definitionId', 'instance.correlationId']);
    // notify is a sibling branch, not before copy; copy itself is not in its own scope
    expect(scopeFor('snapshot', definition(), descriptors).some((e) => e.source === 'step')).toBe(false);
  });

  it('follows transitive predecessors and excludes the node itself in a loop', () => {
    const conns = [
      { source: 'a', outcome: 'Done', target: 'b' },
      { source: 'b', outcome: 'Done', target: 'c' },
      { source: 'c', outcome: 'Retry', target: 'b' },
    ];
    expect([...ancestors('c', conns)].sort()).toEqual(['a', 'b']);
    expect([...ancestors('b', conns)].sort()).toEqual(['a', 'c']);
  });

  it('completes the partial expression inside an open binding', () => {
    const scope = scopeFor('copy', definition(), descriptors);
    const text = 'path {{ steps.sn';
    const c = completeAt(text, text.length, scope)!;
    expect(c.items.map((i) => i.expression)).toEqual(['steps.snapshot.snapshotPath', 'steps.snapshot.disks']);
    const applied = applyCompletion(text, text.length, c, c.items[0]);
    expect(applied.text).toBe('path {{ steps.snapshot.snapshotPath }}');
    expect(applied.cursor).toBe(applied.text.length);
  });

  it('offers nothing outside a binding, and matches substrings after prefixes', () => {
    const scope = scopeFor('copy', definition(), descriptors);
    expect(completeAt('{{ input.vm }} x', 16, scope)).toBeNull();
    expect(completeAt('{{ path', 7, scope)!.items.map((i) => i.expression)).toEqual(['steps.snapshot.snapshotPath']);
  });

  it('replaces the word under the cursor when the binding is already closed', () => {
    const scope = scopeFor('copy', definition(), descriptors);
    const text = '{{ inp }}';
    const c = completeAt(text, 6, scope)!;
    expect(applyCompletion(text, 6, c, c.items[0]).text).toBe('{{ input.vm }}');
  });
});
