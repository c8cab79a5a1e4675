/** Undo/redo as three immutable parts; `present` is what the user sees. */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
}

export const historyLimit = 100;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

/** Records a new state; a new edit forgets the redo branch. Equal states are not recorded twice. */
export function pushHistory<T>(h: History<T>, next: T, equals: (a: T, b: T) => boolean = Object.is, limit = historyLimit): History<T> {
  if (equals(h.present, next)) return h;
  const past = [...h.past, h.present];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, present: next, future: [] };
}

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}

export const canUndo = <T,>(h: History<T>) => h.past.length > 0;
export const canRedo = <T,>(h: History<T>) => h.future.length > 0;
