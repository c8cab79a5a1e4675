import type { Backup } from '../api/types';

/** One chain as the timeline draws it: a full (or isolated) backup, then its incrementals in order. */
export interface BackupChain {
  id: string;
  vm: string;
  backups: Backup[];
  /** The chain's first backup is missing (pruned or not yet listed): incrementals without a full. */
  broken: boolean;
  isolated: boolean;
  storedSize: number;
  startedAt: string;
}

const time = (b: Backup) => Date.parse(b.createdAt) || 0;

/**
 * Groups backups into chains: each full or isolated backup starts a chain; an incremental joins
 * the chain of its parent (following parents up to the root). An incremental whose ancestry is
 * missing joins the chain named by its chainId, else a broken chain of its own root. Within a
 * chain, backups are ordered parent before child (ties by creation time). Chains come oldest first.
 */
export function groupChains(backups: Backup[]): BackupChain[] {
  const byId = new Map(backups.map((b) => [b.id, b]));
  const rootOf = new Map<string, string>();
  const findRoot = (b: Backup, seen = new Set<string>()): string => {
    const cached = rootOf.get(b.id);
    if (cached) return cached;
    let root: string;
    if (b.type !== 'incremental' || !b.parentId || seen.has(b.id)) root = b.id;
    else {
      seen.add(b.id);
      const parent = byId.get(b.parentId);
      if (parent) root = findRoot(parent, seen);
      else root = b.chainId && byId.get(b.chainId) ? findRoot(byId.get(b.chainId)!, seen) : b.chainId ? `chain:${b.chainId}` : b.id;
    }
    rootOf.set(b.id, root);
    return root;
  };

  const groups = new Map<string, Backup[]>();
  for (const b of backups) {
    const r = findRoot(b);
    groups.set(r, [...(groups.get(r) ?? []), b]);
  }

  const depth = new Map<string, number>();
  const depthOf = (b: Backup, guard = 0): number => {
    if (depth.has(b.id)) return depth.get(b.id)!;
    const parent = b.type === 'incremental' && b.parentId ? byId.get(b.parentId) : undefined;
    const d = parent && guard < backups.length ? depthOf(parent, guard + 1) + 1 : 0;
    depth.set(b.id, d);
    return d;
  };

  const chains = [...groups.entries()].map(([id, list]): BackupChain => {
    const ordered = [...list].sort((a, b) => depthOf(a) - depthOf(b) || time(a) - time(b));
    const first = ordered[0];
    return {
      id: first.chainId ?? (id.startsWith('chain:') ? id.slice(6) : id),
      vm: first.vm,
      backups: ordered,
      broken: first.type === 'incremental',
      isolated: first.type === 'isolated',
      storedSize: ordered.reduce((s, b) => s + (b.storedSize ?? 0), 0),
      startedAt: first.createdAt,
    };
  });
  return chains.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
}

/** Points for the duration and size charts: finished backups by creation time. */
export function backupSeries(backups: Backup[]): { at: number; seconds: number; bytes: number; type: Backup['type'] }[] {
  return backups
    .filter((b) => b.completedAt && b.state !== 'Error')
    .map((b) => ({ at: time(b), seconds: Math.max(0, (Date.parse(b.completedAt!) - time(b)) / 1000), bytes: b.storedSize, type: b.type }))
    .sort((a, b) => a.at - b.at);
}
