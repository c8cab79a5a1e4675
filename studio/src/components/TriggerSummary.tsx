import { api } from '../api/endpoints';
import type { ActivityBody } from '../graph/model';
import { Link } from '../router';
import { useLoad } from '../useLoad';

const text = (v: unknown, fallback = '') => (typeof v === 'string' ? v : fallback);

/** The hook's path under /api/hooks/, as the server indexes it (trimmed of slashes, lower case). */
export const hookPath = (a: ActivityBody) => text(a.inputs.path).trim().replace(/^\/+|\/+$/g, '').toLowerCase();

/** Payload fields an event trigger filters on (exact match), as [field, value] for those that are set. */
export const eventFilter = (a: ActivityBody): [string, string][] =>
  ['vm', 'offering', 'host', 'result'].map((f): [string, string] => [f, text(a.inputs[f]).trim()]).filter(([, v]) => v !== '');

/** One line with a trigger's or child workflow's key setting, for the canvas node; null for other activities. */
export function nodeSummary(a: ActivityBody): string | null {
  switch (a.type) {
    case 'Trigger.Http': return `${text(a.inputs.method, 'POST').toUpperCase()} /api/hooks/${hookPath(a)}`;
    case 'Trigger.Cron': return `${text(a.inputs.cron)} (${text(a.inputs.timeZone, 'UTC')})`;
    case 'Trigger.Event': {
      const filter = eventFilter(a);
      return `on ${text(a.inputs.event, '?')}${filter.length ? ` (${filter.map(([f, v]) => `${f}=${v}`).join(', ')})` : ''}`;
    }
    case 'Flow.RunWorkflow': return `runs ${text(a.inputs.workflowId, '?')}${typeof a.inputs.version === 'number' ? ` v${a.inputs.version}` : ''}`;
    default: return null;
  }
}

/** What a trigger or child-workflow activity means in practice: the hook's URL and a curl call, the next firings, the child. */
export function TriggerSummary({ activity: a }: { activity: ActivityBody }) {
  if (a.type === 'Trigger.Http') return <HookSummary activity={a} />;
  if (a.type === 'Trigger.Cron') return <CronSummary cron={text(a.inputs.cron)} timeZone={text(a.inputs.timeZone, 'UTC')} />;
  if (a.type === 'Trigger.Event') return <EventSummary activity={a} />;
  if (a.type === 'Flow.RunWorkflow' && text(a.inputs.workflowId)) {
    const id = text(a.inputs.workflowId);
    return (
      <div className="trigger-summary" data-testid="child-workflow">
        <h4>Child workflow</h4>
        <Link to={typeof a.inputs.version === 'number' ? ['designer', id, String(a.inputs.version)] : ['designer', id]}>Open {id}</Link>
      </div>
    );
  }
  return null;
}

function HookSummary({ activity: a }: { activity: ActivityBody }) {
  const url = `${window.location.origin}/api/hooks/${hookPath(a)}`;
  const method = text(a.inputs.method, 'POST').toUpperCase();
  const curl = `curl -H "X-Api-Key: $BWF_API_KEY" -H "Content-Type: application/json" -X ${method} ${url} -d '{ }'`;
  return (
    <div className="trigger-summary" data-testid="hook-summary">
      <h4>Hook</h4>
      <div className="small">Active once the workflow is published; needs an API key with the role {text(a.inputs.role, 'operator')} or higher.</div>
      <code data-testid="hook-url">{method} {url}</code>
      <pre className="small" data-testid="hook-curl">{curl}</pre>
    </div>
  );
}

function CronSummary({ cron, timeZone }: { cron: string; timeZone: string }) {
  const preview = useLoad(() => (cron.trim()
    ? api.cronPreview(cron, timeZone, 5)
    : Promise.resolve(undefined)), [cron, timeZone]);
  return (
    <div className="trigger-summary" data-testid="cron-summary">
      <h4>Next firings</h4>
      {preview.error ? <div className="field-error">{preview.error instanceof Error ? preview.error.message : 'not a valid cron expression'}</div> : null}
      {preview.data && (
        <ol className="small" data-testid="cron-next">
          {preview.data.next.map((t) => <li key={t}>{new Date(t).toLocaleString()} <span className="muted">({preview.data!.timeZone})</span></li>)}
        </ol>
      )}
    </div>
  );
}

function EventSummary({ activity: a }: { activity: ActivityBody }) {
  const filter = eventFilter(a);
  return (
    <div className="trigger-summary" data-testid="event-summary">
      <h4>Event</h4>
      <div className="small">Active once the workflow is published; each matching event starts one instance with its fields
        (vm, offering, host, backupId, instanceId, result, error) as the inputs the workflow declares.</div>
      <code data-testid="event-name">{text(a.inputs.event, '(no event chosen)')}</code>
      <div className="small" data-testid="event-filter">
        {filter.length ? `only when ${filter.map(([f, v]) => `${f} is ${v}`).join(' and ')}` : 'every such event (no filter)'}
      </div>
    </div>
  );
}
