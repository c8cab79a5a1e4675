import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, createHistory, pushHistory, redo, undo } from './history';

describe('history', () => {
  it('undoes and redoes in order', () => {
    let h = createHistory('a');
    h = pushHistory(h, 'b');
    h = pushHistory(h, 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present).toBe('b');
    expect(canRedo(h)).toBe(true);
  });

  it('forgets the redo branch on a new edit', () => {
    let h = pushHistory(pushHistory(createHistory(1), 2), 3);
    h = pushHistory(undo(h), 9);
    expect(h.present).toBe(9);
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe(2);
  });

  it('does not record an unchanged state, and is bounded', () => {
    let h = createHistory(0);
    h = pushHistory(h, 0);
    expect(canUndo(h)).toBe(false);
    for (let i = 1; i <= 10; i++) h = pushHistory(h, i, Object.is, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });

  it('undo on empty history is a no-op', () => {
    const h = createHistory('x');
    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
  });
});
