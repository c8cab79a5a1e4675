import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/endpoints';
import { subscribeToEvents } from '../../api/events';
import { StatusBadge } from '../../components/Badges';
import { ErrorBanner, Loading } from '../../components/ErrorBanner';
import { formatTime } from '../../format';
import { applyRunEvent, isInstanceActive, runStateFromInstance, type RunState } from '../../graph/runState';
import { Link } from '../../router';
import { useSession } from '../../session';
import { useLoad } from '../../useLoad';
import { JournalTable } from './JournalTable';
import { RunCanvas } from './RunCanvas';

/** One instance: its flow with live node states from /api/events, incidents, journal, cancel and retry. */
export function RunViewPage({ instanceId }: { instanceId: string }) {
  const { canOperate } = useSession();
  const instance = useLoad(() => api.instance(instanceId), [instanceId]);
  const defKey = instance.data ? `${instance.data.definitionId}@${instance.data.definitionVersion}` : '';
  const definition = useLoad(
    () => (instance.data ? api.workflow(instance.data.definitionId, instance.data.definitionVersion) : Promise.resolve(null)),
    [defKey],
  );
  const descriptors = useLoad(api.descriptors, []);
  const journal = useLoad(() => api.journal(instanceId), [instanceId]);
  const [run, setRun] = useState<RunState | null>(null);
  const [live, setLive] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const refresh = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Set by an event that changes what only the instance's answer holds; a later event re-arms the timer but keeps it.
  const instanceStale = useRef(false);

  // The instance answer is authoritative; events move the view forward between answers.
  useEffect(() => {
    if (instance.data) setRun(runStateFromInstance(definition.data?.activities.map((a) => a.id) ?? [], instance.data));
  }, [instance.data, definition.data]);

  useEffect(() => {
    const unsubscribe = subscribeToEvents(instanceId, (e) => {
      setRun((s) => (s ? applyRunEvent(s, instanceId, e) : s));
      // Journal rows change when activities start and end: fetch them, at most once a second. A suspending timer comes
      // with its resume moment (the node shows it from the event), so only what the events do not carry asks for the
      // instance: its status changed (fault, output, waiting) or an activity failed (incidents).
      if (e.kind !== 'progress') {
        if (e.kind === 'instance' || e.status === 'failed') instanceStale.current = true;
        clearTimeout(refresh.current);
        refresh.current = setTimeout(() => {
          journal.reload();
          if (instanceStale.current) { instanceStale.current = false; instance.reload(); }
        }, 800);
      }
    }, setLive);
    return () => { unsubscribe(); clearTimeout(refresh.current); };
  }, [instanceId]); // eslint-disable-line react-hooks/exhaustive-deps

  // While the instance is active its answer is asked for again: every 5 s without the event stream, every 10 s with
  // it. An event sent between the first answer and the subscription is never seen, and events are those of the node
  // the studio is connected to; a clean-clone run showed a Delay "running" for 30 s after it had suspended.
  const status = run?.status ?? instance.data?.status ?? '';
  useEffect(() => {
    if (!isInstanceActive(status)) return;
    const t = setInterval(() => { instance.reload(); journal.reload(); }, live ? 10000 : 5000);
    return () => clearInterval(t);
  }, [live, status, instance.reload, journal.reload]); // eslint-disable-line react-hooks/exhaustive-deps

  const byType = useMemo(() => new Map((descriptors.data ?? []).map((d) => [d.type, d])), [descriptors.data]);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await what();
      instance.reload();
      journal.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  if (instance.error && !instance.data) return <div className="page"><ErrorBanner error={instance.error} onRetry={instance.reload} /></div>;
  if (!instance.data) return <div className="page"><Loading what="run" /></div>;
  const inst = instance.data;
  const incidents = inst.incidents ?? [];
  const canRetry = status === 'Faulted' || incidents.some((x) => !x.handled);

  return (
    <div className="page run-page" data-testid="run-view">
      <div className="page-head">
        <h1><Link to={['runs']}>Runs</Link> / <code>{inst.id.slice(0, 12)}</code></h1>
        <StatusBadge status={status} testId="run-status" />
        <span className="muted">{inst.definitionId} v{inst.definitionVersion}</span>
        <span className={`live ${live ? 'on' : ''}`} data-testid="run-live" title={live ? 'Receiving live events' : 'Event stream not connected; polling'}>
          {live ? '● live' : '○ polling'}
        </span>
        <span className="spacer" />
        {/* A faulted run waits for a retry; an operator who gives it up cancels it. */}
        {canOperate && (isInstanceActive(status) || status === 'Faulted') && (
          <button className="btn btn-danger" disabled={busy} data-testid="cancel"
            onClick={() => { if (confirm('Cancel this run?')) void act(() => api.cancel(inst.id)); }}>Cancel</button>
        )}
        {canOperate && canRetry && (
          <button className="btn btn-primary" disabled={busy} data-testid="retry" onClick={() => void act(() => api.retry(inst.id))}>Retry</button>
        )}
      </div>
      <ErrorBanner error={actionError} onDismiss={() => setActionError(undefined)} />
      <ErrorBanner error={definition.error} onRetry={definition.reload} />
      {inst.fault && <div className="banner banner-error" data-testid="run-fault"><strong>Fault</strong> {inst.fault}</div>}
      {inst.waitingFor && <div className="banner banner-warn" data-testid="run-waiting">Waiting for {inst.waitingFor}</div>}
      {incidents.length > 0 && (
        <div className="incidents" data-testid="incidents">
          <h3>Incidents</h3>
          <ul>
            {incidents.map((x, i) => (
              <li key={i} data-testid={`incident-${i}`} className={x.handled ? 'muted' : ''}>
                <button className="linkish" onClick={() => setSelected(x.activityId)}>{x.activityId}</button> {x.message}
                <span className="muted small"> {formatTime(x.at)}{x.attempts ? ` · ${x.attempts} attempt${x.attempts > 1 ? 's' : ''}` : ''}{x.handled ? ' · handled' : ''}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {definition.data && run ? (
        <RunCanvas definition={definition.data} descriptors={descriptors.data ?? []} states={run.nodes} onSelect={setSelected} />
      ) : (
        !definition.error && <Loading what="flow" />
      )}
      <div className="section-head">
        <h3>Journal {selected && <span className="muted small">— {selected} <button className="linkish" onClick={() => setSelected(null)}>show all</button></span>}</h3>
      </div>
      <ErrorBanner error={journal.error} onRetry={journal.reload} />
      {journal.data && <JournalTable entries={journal.data} descriptors={byType} filter={selected} />}
      <details className="run-io">
        <summary>Input, variables and output</summary>
        <pre data-testid="run-io">{JSON.stringify({ input: inst.input, variables: inst.variables, output: inst.output ?? null }, null, 2)}</pre>
      </details>
    </div>
  );
}
