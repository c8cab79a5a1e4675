import { Fragment, useState } from 'react';
import type { ActivityDescriptor, JournalEntry } from '../../api/types';
import { attemptLabels, maskSecrets } from '../../graph/journal';
import { formatTime } from '../../format';

// The server may name the type with its version ("Flow.Delay@1"); descriptors are keyed by the bare type.
/** The instance journal: one row per activity execution; a row opens to its inputs, outputs and messages. */
export function JournalTable({ entries, descriptors, filter }: { entries: JournalEntry[]; descriptors: Map<string, ActivityDescriptor>; filter: string | null }) {
  const [open, setOpen] = useState<number | null>(null);
  const shown = filter ? entries.filter((e) => e.activityId === filter) : entries;
  const attempts = attemptLabels(entries);
  if (!shown.length) return <div className="muted small">No journal entries{filter ? ` for ${filter}` : ''} yet.</div>;
  return (
    <table className="table journal" data-testid="journal">
      <thead><tr><th>#</th><th>Activity</th><th>Attempt</th><th>Started</th><th>Ended</th><th>Outcome</th><th>Error</th></tr></thead>
      <tbody>
        {shown.map((e) => (
          <Fragment key={e.sequence}>
            <tr className={`clickable ${e.error ? 'row-bad' : ''}`} onClick={() => setOpen(open === e.sequence ? null : e.sequence)} data-testid={`journal-row-${e.sequence}`}>
              <td>{e.sequence}</td>
              <td><code>{e.activityId}</code> <span className="muted small">{e.activityType}</span></td>
              <td data-testid={`journal-attempt-${e.sequence}`}>{attempts.get(e.sequence)}</td>
              <td>{formatTime(e.startedAt)}</td>
              <td>{formatTime(e.endedAt)}</td>
              <td>{e.outcome ?? ''}</td>
              <td className="error-text">{e.error ?? ''}</td>
            </tr>
            {open === e.sequence && (
              <tr className="journal-detail" data-testid={`journal-detail-${e.sequence}`}>
                <td colSpan={7}>
                  <div className="grid2">
                    <div><h5>Inputs</h5><pre>{JSON.stringify(maskSecrets(e.inputs, descriptors.get(e.activityType.replace(/@\d+$/, ''))), null, 2)}</pre></div>
                    <div><h5>Outputs</h5><pre>{JSON.stringify(e.outputs ?? {}, null, 2)}</pre></div>
                  </div>
                  {e.messages?.length > 0 && <><h5>Messages</h5><pre>{e.messages.join('\n')}</pre></>}
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
