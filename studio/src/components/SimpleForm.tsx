import { useState, type FormEvent } from 'react';
import { ErrorBanner } from './ErrorBanner';

export interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'number' | 'bool' | 'gib' | 'select' | 'json';
  /** The choices of a `select` field (the first is the default unless `initial` says otherwise). */
  options?: string[];
  required?: boolean;
  placeholder?: string;
  initial?: string | boolean;
}

/** A compact create form: typed fields, submit, server errors shown inline. `gib` fields are entered in GiB, sent in bytes;
 * `json` fields hold a JSON object, sent parsed (text that is not one is refused here, naming the field). */
export function SimpleForm({ fields, submitLabel, testId, onSubmit }: {
  fields: FieldSpec[];
  submitLabel: string;
  testId: string;
  onSubmit: (values: Record<string, unknown>) => Promise<void>;
}) {
  const initial = () => Object.fromEntries(fields.map((f) => [f.name, f.initial ?? (f.kind === 'bool' ? false : f.options?.[0] ?? '')]));
  const [values, setValues] = useState<Record<string, string | boolean>>(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.name];
      if (f.kind === 'bool') out[f.name] = v;
      else if (v === '') continue;
      else if (f.kind === 'number') out[f.name] = Number(v);
      else if (f.kind === 'gib') out[f.name] = Math.round(Number(v) * 1024 ** 3);
      else if (f.kind === 'json') {
        let parsed: unknown;
        try { parsed = JSON.parse(String(v)); } catch { parsed = undefined; }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          setError(new Error(`${f.label}: not a JSON object, e.g. {"type": "full"}.`));
          return;
        }
        out[f.name] = parsed;
      } else out[f.name] = v;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(out);
      setValues(initial());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="simple-form" onSubmit={submit} data-testid={testId}>
      {fields.map((f) => (
        <label key={f.name} className={f.kind === 'bool' ? 'field inline' : 'field'}>
          {f.kind === 'bool' ? (
            <><input type="checkbox" checked={!!values[f.name]} onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })} data-testid={`${testId}-${f.name}`} /><span>{f.label}</span></>
          ) : f.kind === 'select' ? (
            <><span>{f.label}</span>
              <select value={String(values[f.name])} data-testid={`${testId}-${f.name}`} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
                {f.options?.map((o) => <option key={o} value={o}>{o}</option>)}
              </select></>
          ) : (
            <><span>{f.label}{f.required && ' *'}</span>
              <input value={String(values[f.name])} required={f.required} placeholder={f.placeholder} data-testid={`${testId}-${f.name}`}
                type={f.kind === 'number' || f.kind === 'gib' ? 'number' : 'text'} step={f.kind === 'gib' ? 'any' : undefined}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} /></>
          )}
        </label>
      ))}
      <button className="btn btn-primary" type="submit" disabled={busy} data-testid={`${testId}-submit`}>{submitLabel}</button>
      <ErrorBanner error={error} />
    </form>
  );
}
