import { useEffect, useState, type AnchorHTMLAttributes } from 'react';

/**
 * Hash routing (`#/runs/abc`): the server serves one index.html at `/`, so deep links work
 * without server-side fallbacks.
 */
function current(): string[] {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
}

/**
 * What may stop the user leaving the page shown: a question asked before a link, Back or a typed
 * address moves away (the designer's unsaved changes). One at a time: the page shown owns it.
 */
let leaveQuestion: (() => string | null) | null = null;
/** The hash the shown page belongs to: where a declined move goes back to. */
let shownHash = typeof window === 'undefined' ? '' : window.location.hash;
/** A move the page itself makes (the designer's first save moving to its id) is not asked about. */
let passNext = false;

/** While `question` returns text, leaving the page asks it with `confirm` first. */
export function useLeaveGuard(question: () => string | null) {
  useEffect(() => {
    leaveQuestion = question;
    return () => { if (leaveQuestion === question) leaveQuestion = null; };
  }, [question]);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    shownHash = window.location.hash;
    const on = () => {
      const pass = passNext;
      passNext = false;
      if (window.location.hash === shownHash) return;
      const question = pass ? null : leaveQuestion?.();
      if (question && !confirm(question)) {
        // The address already changed (link, Back): put back the page's own, without another hashchange.
        history.replaceState(history.state, '', shownHash || '#/');
        return;
      }
      shownHash = window.location.hash;
      setRoute(current());
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');
export function navigate(...parts: string[]) {
  window.location.hash = href(...parts).slice(1);
}

/** Moves without the leave question: for a page that moves itself once it has nothing left to lose. */
export function navigateAway(...parts: string[]) {
  passNext = href(...parts) !== window.location.hash; // no hashchange follows a move to where it already is
  navigate(...parts);
}

export function Link({ to, ...rest }: { to: string[] } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <a href={href(...to)} {...rest} />;
}
