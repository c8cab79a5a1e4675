import { useState } from 'react';
import { api } from '../api/endpoints';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { SimpleForm } from '../components/SimpleForm';
import { formatInZone } from '../format';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

/** Backup schedules (cron per VM or per offering); operators create and delete them. */
export function SchedulesPage() {
  const { canOperate } = useSession();
  const list = useLoad(api.schedules, []);
  const [error, setError] = useState<unknown>();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const remove = async (id: string) => {
    if (!confirm('Delete this schedule?')) return;
    try { await api.deleteSchedule(id); list.reload(); } catch (e) { setError(e); }
  };
  return (
    <div className="page" data-testid="schedules-page">
      <h1>Schedules</h1>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="schedules" />}
      {list.data?.length === 0 && <Empty>No schedules yet.</Empty>}
      {!!list.data?.length && (
        <table className="table">
          <thead><tr><th>Applies to</th><th>Workflow</th><th>Cron</th><th>Time zone</th><th>Keep</th><th>Next run</th><th /></tr></thead>
          <tbody>{list.data.map((s) => (
            <tr key={s.id} data-testid={`schedule-${s.id}`}>
              <td>{s.vm ? <>VM <strong>{s.vm}</strong></> : s.offering ? <>offering <strong>{s.offering}</strong></> : 'all'}</td>
              <td data-testid={`schedule-workflow-${s.id}`}>{s.workflow ?? <span className="muted">offering&apos;s backup</span>}
                {s.input && Object.keys(s.input).length > 0 && <div className="muted small"><code>{JSON.stringify(s.input)}</code></div>}</td>
              <td><code>{s.cron}</code>{s.quartzCron && s.quartzCron !== s.cron && <div className="muted small">Quartz: <code>{s.quartzCron}</code></div>}</td><td>{s.timeZone}</td><td>{s.keep ?? '—'}</td><td data-testid={`schedule-next-${s.id}`}>{formatInZone(s.nextFireAt, s.timeZone)}</td>
              <td className="actions">{canOperate && <button className="btn btn-small btn-danger" onClick={() => void remove(s.id)} data-testid={`schedule-delete-${s.id}`}>Delete</button>}</td>
            </tr>))}
          </tbody>
        </table>
      )}
      {canOperate && (
        <section className="card section">
          <h2>New schedule</h2>
          <p className="muted small"><code>hourly</code>, <code>daily</code>, <code>weekly</code>, <code>monthly</code>, a five-field cron (<code>0 2 * * *</code> is every day at 02:00) or a Quartz expression. Give a VM or an offering. Each firing starts the backup workflow of the VM&apos;s offering, or the workflow named here, with the input given (host and vm are set per VM; type is auto unless given).</p>
          <SimpleForm testId="schedule-form" submitLabel="Create schedule" onSubmit={async (v) => {
            if (!v.vm && !v.offering) throw new Error('Give a VM or an offering.');
            await api.addSchedule(v);
            list.reload();
          }} fields={[
            { name: 'vm', label: 'VM' }, { name: 'offering', label: 'Offering' },
            { name: 'cron', label: 'Cron', required: true, initial: '0 2 * * *' },
            { name: 'timeZone', label: 'Time zone', required: true, initial: zone },
            { name: 'keep', label: 'Keep (backups)', kind: 'number' },
            { name: 'workflow', label: 'Workflow', placeholder: "the offering's backup" },
            { name: 'input', label: 'Input (JSON object)', kind: 'json', placeholder: '{"type": "full"}' },
          ]} />
        </section>
      )}
    </div>
  );
}
