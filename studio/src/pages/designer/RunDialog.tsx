import { useState } from 'react';
import type { WorkflowInput } from '../../api/types';
import { Modal } from '../../components/Modal';
import { InputEditor } from '../../forms/InputEditor';
import { checkLiteral, isMissing } from '../../forms/parse';

/** Asks for the workflow's inputs before POST /run; Start waits until every value is valid. */
export function RunDialog({ inputs, busy, error, title = 'Run the published version', onRun, onClose }: {
  inputs: WorkflowInput[];
  busy: boolean;
  error?: unknown;
  title?: string;
  onRun: (input: Record<string, unknown>) => void;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(inputs.filter((i) => i.default !== undefined && i.default !== null).map((i) => [i.name, i.default])));
  const missing = inputs.filter((i) => i.required && isMissing(values[i.name])).map((i) => i.name);
  // A field that does not parse holds its text: such a value must not start a run.
  const invalid = inputs.filter((i) => checkLiteral(i.type, values[i.name]) !== null).map((i) => i.name);
  return (
    <Modal label="Run workflow" testId="run-dialog" error={error} onClose={onClose}>
      <h3>{title}</h3>
      {inputs.length === 0 && <p className="muted">This workflow takes no inputs.</p>}
      {inputs.map((i) => (
        <InputEditor key={i.name} input={{ ...i, sensitive: false }} value={values[i.name]} scope={[]} allowBinding={false}
          testPrefix="run-input" onChange={(v) => setValues((s) => ({ ...s, [i.name]: v }))} />
      ))}
      {missing.length > 0 && <div className="field-error">Required: {missing.join(', ')}</div>}
      {invalid.length > 0 && <div className="field-error" data-testid="run-invalid">Not valid: {invalid.join(', ')}</div>}
      <div className="modal-actions">
        <button className="btn btn-ghost" onClick={onClose} data-testid="run-dismiss">Cancel</button>
        <button className="btn btn-accent" disabled={busy || missing.length > 0 || invalid.length > 0} onClick={() => onRun(values)} data-testid="run-confirm">Start run</button>
      </div>
    </Modal>
  );
}
