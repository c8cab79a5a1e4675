import { useState } from 'react';
import type { WorkflowInput } from '../../api/types';
import { InputEditor } from '../../forms/InputEditor';
import { isMissing } from '../../forms/parse';

/** Asks for the workflow's inputs before POST /run. */
export function RunDialog({ inputs, busy, onRun, onClose }: { inputs: WorkflowInput[]; busy: boolean; onRun: (input: Record<string, unknown>) => void; onClose: () => void }) {
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(inputs.filter((i) => i.default !== undefined && i.default !== null).map((i) => [i.name, i.default])));
  const missing = inputs.filter((i) => i.required && isMissing(values[i.name])).map((i) => i.name);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal card" role="dialog" aria-label="Run workflow" data-testid="run-dialog" onClick={(e) => e.stopPropagation()}>
        <h3>Run the published version</h3>
        {inputs.length === 0 && <p className="muted">This workflow takes no inputs.</p>}
        {inputs.map((i) => (
          <InputEditor key={i.name} input={{ ...i, sensitive: false }} value={values[i.name]} scope={[]} allowBinding={false}
            testPrefix="run-input" onChange={(v) => setValues((s) => ({ ...s, [i.name]: v }))} />
        ))}
        {missing.length > 0 && <div className="field-error">Required: {missing.join(', ')}</div>}
        <div className="modal-actions">
          <button className="btn btn-ghost" onClick={onClose} data-testid="run-dismiss">Cancel</button>
          <button className="btn btn-accent" disabled={busy || missing.length > 0} onClick={() => onRun(values)} data-testid="run-confirm">Start run</button>
        </div>
      </div>
    </div>
  );
}
