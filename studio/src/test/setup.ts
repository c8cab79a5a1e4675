import { configure } from '@testing-library/react';

// jsdom lacks the layout APIs React Flow touches; minimal stand-ins let components mount.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
class DOMMatrixReadOnlyStub {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
    this.m22 = scale !== undefined ? +scale : 1;
  }
}
const g = globalThis as Record<string, unknown>;
g.ResizeObserver ??= ResizeObserverStub;
g.DOMMatrixReadOnly ??= DOMMatrixReadOnlyStub;

// The machine running these is shared and often loaded: give findBy*/waitFor 5 s instead of 1 s
// (a check that never holds still fails, only later).
configure({ asyncUtilTimeout: 5000 });
