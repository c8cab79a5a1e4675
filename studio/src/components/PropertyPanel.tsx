import type { ActivityDescriptor, RetryPolicy } from '../api/types';
import type { ActivityBody, Problem } from '../graph/model';
import type { ScopeEntry } from '../graph/scope';
import { InputEditor } from '../forms/InputEditor';

interface Props {
  activity: ActivityBody;
  descriptor: ActivityDescriptor | undefined;
  scope: ScopeEntry[];
  problems: Problem[];
  readOnly: boolean;
  /** `key` groups keystrokes in one field into one undo step. */
  onChange: (patch: Partial<ActivityBody>, key: string) => void;
}

const defaultRetry: RetryPolicy = { maxAttempts: 3, baseDelaySeconds: 5, maxDelaySeconds: 300, jitter: true };

/** The selected activity: name, inputs (one editor per input type), retry and timeout. */
export function PropertyPanel({ activity: a, descriptor: d, scope, problems, readOnly, onChange }: Props) {
  // The studio names an input's problem by the input ("vm"), the server by its path ("inputs.vm").
  const inputOf = (path: string | null | undefined) => path?.replace(/^inputs\./, '');
  const byPath = (name: string) => problems.filter((p) => inputOf(p.path) === name).map((p) => p.message);
  const general = problems.filter((p) => !d?.inputs.some((i) => i.name === inputOf(p.path)));
  const setInput = (name: string, v: unknown) => {
    const inputs = { ...a.inputs };
    if (v === undefined) delete inputs[name];
    else inputs[name] = v;
    onChange({ inputs }, `${a.id}/input/${name}`);
  };
  const retry = a.retry ?? null;
  const setRetry = (patch: Partial<RetryPolicy> | null) =>
    onChange({ retry: patch === null ? null : { ...(retry ?? defaultRetry), ...patch } }, `${a.id}/retry`);
  const num = (s: string) => (s.trim() === '' ? 0 : Math.max(0, Math.floor(Number(s)) || 0));

  return (
    <div className="property-panel" data-testid="property-panel">
      <div className="panel-title">
        <h3>{d?.displayName ?? a.type}</h3>
        <code data-testid="prop-id">{a.id}</code>
      </div>
      {d?.description && <p className="muted small">{d.description}</p>}
      {!d && <div className="banner banner-warn">Unknown activity type {a.type}: the server does not describe it.</div>}
      {general.map((p, i) => <div key={i} className="field-error">{p.message}</div>)}
      <label className="field">
        <span>Display name</span>
        <input value={a.displayName ?? ''} disabled={readOnly} data-testid="prop-displayName" placeholder={d?.displayName}
          onChange={(e) => onChange({ displayName: e.target.value || null }, `${a.id}/displayName`)} />
      </label>
      <h4>Inputs</h4>
      {d?.inputs.length === 0 && <div className="muted small">This activity takes no inputs.</div>}
      {d?.inputs.map((input) => (
        <InputEditor key={`${a.id}/${input.name}`} input={input} value={a.inputs[input.name]} scope={scope}
          problems={byPath(input.name)} disabled={readOnly} onChange={(v) => setInput(input.name, v)} />
      ))}
      {d && d.outputs.length > 0 && (
        <>
          <h4>Outputs</h4>
          <ul className="outputs">
            {d.outputs.map((o) => <li key={o.name}><code>{`steps.${a.id}.${o.name}`}</code> <span className="input-type">{o.type}</span></li>)}
          </ul>
        </>
      )}
      <h4>Execution</h4>
      <label className="field inline">
        <input type="checkbox" checked={!!retry} disabled={readOnly} data-testid="prop-retry" onChange={(e) => setRetry(e.target.checked ? {} : null)} />
        <span>Retry on failure</span>
      </label>
      {retry && (
        <div className="grid2">
          <label className="field"><span>Max attempts</span>
            <input type="number" min={1} value={retry.maxAttempts ?? undefined} disabled={readOnly} data-testid="prop-retry-maxAttempts" onChange={(e) => setRetry({ maxAttempts: num(e.target.value) })} /></label>
          <label className="field"><span>Base delay (s)</span>
            <input type="number" min={0} value={retry.baseDelaySeconds ?? undefined} disabled={readOnly} data-testid="prop-retry-baseDelaySeconds" onChange={(e) => setRetry({ baseDelaySeconds: num(e.target.value) })} /></label>
          <label className="field"><span>Max delay (s)</span>
            <input type="number" min={0} value={retry.maxDelaySeconds ?? undefined} disabled={readOnly} data-testid="prop-retry-maxDelaySeconds" onChange={(e) => setRetry({ maxDelaySeconds: num(e.target.value) })} /></label>
          <label className="field inline"><input type="checkbox" checked={retry.jitter ?? undefined} disabled={readOnly} onChange={(e) => setRetry({ jitter: e.target.checked })} /><span>Jitter</span></label>
        </div>
      )}
      <label className="field">
        <span>Timeout (seconds, empty = none)</span>
        <input type="number" min={0} value={a.timeoutSeconds ?? ''} disabled={readOnly} data-testid="prop-timeoutSeconds"
          onChange={(e) => onChange({ timeoutSeconds: e.target.value === '' ? null : num(e.target.value) }, `${a.id}/timeout`)} />
      </label>
    </div>
  );
}
