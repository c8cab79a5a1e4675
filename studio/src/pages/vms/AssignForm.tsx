import { useState } from 'react';
import { api } from '../../api/endpoints';
import type { Offering } from '../../api/types';
import { useLoad } from '../../useLoad';

/** Assigns the VM to an offering and a repository (or removes the assignment). */
export function AssignForm({ vm, offering, offerings, onDone, onError }: {
  vm: string;
  offering: string | null;
  offerings: Offering[];
  onDone: () => void;
  onError: (e: unknown) => void;
}) {
  const [open, setOpen] = useState(false);
  const repos = useLoad(() => (open ? api.repositories() : Promise.resolve([])), [open]);
  const [choice, setChoice] = useState({ offering: offering ?? '', repository: '' });
  const run = async (call: () => Promise<void>) => {
    try { await call(); setOpen(false); onDone(); } catch (e) { onError(e); }
  };
  if (!open) return <button className="btn btn-ghost" onClick={() => setOpen(true)} data-testid="assign-open">{offering ? 'Change offering' : 'Assign offering'}</button>;
  return (
    <span className="assign" data-testid="assign-form">
      <select value={choice.offering} onChange={(e) => setChoice({ ...choice, offering: e.target.value })} data-testid="assign-offering">
        <option value="">offering…</option>
        {offerings.map((o) => <option key={o.name}>{o.name}</option>)}
      </select>
      <select value={choice.repository} onChange={(e) => setChoice({ ...choice, repository: e.target.value })} data-testid="assign-repository">
        <option value="">repository…</option>
        {(repos.data ?? []).map((r) => <option key={r.name}>{r.name}</option>)}
      </select>
      <button className="btn btn-primary" disabled={!choice.offering || !choice.repository} data-testid="assign-submit"
        onClick={() => void run(async () => { await api.assign(vm, choice.offering, choice.repository); })}>Assign</button>
      {offering && <button className="btn btn-danger" data-testid="unassign" onClick={() => void run(async () => { await api.unassign(vm); })}>Unassign</button>}
      <button className="btn btn-ghost" onClick={() => setOpen(false)}>×</button>
    </span>
  );
}
