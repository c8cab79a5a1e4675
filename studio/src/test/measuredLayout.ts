/**
 * Makes jsdom measure like a browser for React Flow: nodes are 220×100, everything else
 * 1000×700, and a ResizeObserver reports each observed element once, as browsers do on
 * `observe`. Without this React Flow never sees measured nodes, so it never fits the view.
 * Returns the function that restores jsdom's own behaviour.
 */
export function measureLikeABrowser(): () => void {
  const proto = HTMLElement.prototype;
  const saved = {
    width: Object.getOwnPropertyDescriptor(proto, 'offsetWidth'),
    height: Object.getOwnPropertyDescriptor(proto, 'offsetHeight'),
    observer: globalThis.ResizeObserver,
    bbox: Object.getOwnPropertyDescriptor(SVGElement.prototype, 'getBBox'),
  };
  const isNode = (e: HTMLElement) => e.classList.contains('react-flow__node');
  Object.defineProperty(proto, 'offsetWidth', { configurable: true, get(this: HTMLElement) { return isNode(this) ? 220 : 1000; } });
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get(this: HTMLElement) { return isNode(this) ? 100 : 700; } });

  // Edge labels measure their text.
  Object.defineProperty(SVGElement.prototype, 'getBBox', { configurable: true, value: () => ({ x: 0, y: 0, width: 40, height: 14 }) });

  class ReportingResizeObserver {
    private readonly callback: ResizeObserverCallback;
    private live = true;
    constructor(callback: ResizeObserverCallback) { this.callback = callback; }
    observe(target: Element) {
      // Browsers deliver the first observation asynchronously, after layout.
      setTimeout(() => {
        if (this.live && target.isConnected)
          this.callback([{ target } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
      }, 0);
    }
    unobserve() {}
    disconnect() { this.live = false; }
  }
  globalThis.ResizeObserver = ReportingResizeObserver as unknown as typeof ResizeObserver;

  return () => {
    if (saved.width) Object.defineProperty(proto, 'offsetWidth', saved.width);
    if (saved.height) Object.defineProperty(proto, 'offsetHeight', saved.height);
    if (saved.bbox) Object.defineProperty(SVGElement.prototype, 'getBBox', saved.bbox);
    else delete (SVGElement.prototype as { getBBox?: unknown }).getBBox;
    globalThis.ResizeObserver = saved.observer;
  };
}

/** React Flow's viewport (pan and zoom) as drawn: the transform of `.react-flow__viewport`. */
export function viewportOf(container: ParentNode): { x: number; y: number; zoom: number } {
  const viewport = container.querySelector<HTMLElement>('.react-flow__viewport');
  if (!viewport) throw new Error('no React Flow viewport');
  const m = viewport.style.transform.match(/translate\(([^,]+)px,\s*([^)]+)px\)\s*scale\(([^)]+)\)/);
  if (!m) throw new Error(`unexpected viewport transform '${viewport.style.transform}'`);
  return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]) };
}
