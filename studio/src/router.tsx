import { useEffect, useState, type AnchorHTMLAttributes } from 'react';

/**
 * Hash routing (`#/runs/abc`): the server serves one index.html at `/`, so deep links work
 * without server-side fallbacks.
 */
function current(): string[] {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const on = () => setRoute(current());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');
export function navigate(...parts: string[]) {
  window.location.hash = href(...parts).slice(1);
}

export function Link({ to, ...rest }: { to: string[] } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <a href={href(...to)} {...rest} />;
}
