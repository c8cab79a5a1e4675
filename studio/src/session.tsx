import { createContext, useContext } from 'react';
import type { Me } from './api/types';

/** Who is signed in and what they may change; viewers see no mutating controls. */
export interface Session {
  me: Me;
  canOperate: boolean; // backups, restores, runs, schedules
  canAdmin: boolean; // hosts, repositories, workflow definitions
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function sessionFor(me: Me, signOut: () => void): Session {
  return { me, canOperate: me.role === 'operator' || me.role === 'admin', canAdmin: me.role === 'admin', signOut };
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}
