import type { WorkflowDefinition, WorkflowInput, WorkflowVariable } from '../api/types';
import { workflowInputTypes } from '../graph/validate';

export type WorkflowMeta = Omit<WorkflowDefinition, 'activities' | 'connections'>;
// The server's type names (DefinitionValidator.InputTypes): it refuses others.
const types = workflowInputTypes;
/** The known types plus the current one, so an unusual type from a file is shown, not silently replaced. */
const typeOptions = (current: string) => (types.includes(current) ? types : [...types, current]);

/** Shown when no activity is selected: the workflow's id, name, inputs and variables. */
export function WorkflowPanel({ meta, isNew, readOnly, onChange }: { meta: WorkflowMeta; isNew: boolean; readOnly: boolean; onChange: (m: WorkflowMeta) => void }) {
  const set = (patch: Partial<WorkflowMeta>) => onChange({ ...meta, ...patch });
  const setInput = (i: number, patch: Partial<WorkflowInput> | null) =>
    set({ inputs: patch === null ? meta.inputs.filter((_, j) => j !== i) : meta.inputs.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const setVar = (i: number, patch: Partial<WorkflowVariable> | null) =>
    set({ variables: patch === null ? meta.variables.filter((_, j) => j !== i) : meta.variables.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  return (
    <div className="property-panel" data-testid="workflow-panel">
      <h3>Workflow</h3>
      <label className="field"><span>Id</span>
        <input value={meta.id} disabled={readOnly || !isNew} data-testid="workflow-id" onChange={(e) => set({ id: e.target.value.replace(/[^A-Za-z0-9_.-]/g, '') })} /></label>
      <label className="field"><span>Name</span>
        <input value={meta.name} disabled={readOnly} data-testid="workflow-name" onChange={(e) => set({ name: e.target.value })} /></label>
      <label className="field"><span>Description</span>
        <textarea rows={2} value={meta.description ?? ''} disabled={readOnly} data-testid="workflow-description" onChange={(e) => set({ description: e.target.value })} /></label>
      <h4>Inputs <span className="muted small">bind as {'{{ input.<name> }}'}</span></h4>
      {meta.inputs.map((inp, i) => (
        <div className="row-edit" key={i} data-testid={`workflow-input-${i}`}>
          <input value={inp.name} disabled={readOnly} placeholder="name" onChange={(e) => setInput(i, { name: e.target.value })} />
          <select value={inp.type} disabled={readOnly} onChange={(e) => setInput(i, { type: e.target.value })}>
            {typeOptions(inp.type).map((t) => <option key={t}>{t}</option>)}
          </select>
          <label title="required"><input type="checkbox" checked={inp.required} disabled={readOnly} onChange={(e) => setInput(i, { required: e.target.checked })} />req.</label>
          {!readOnly && <button className="btn btn-ghost btn-small" onClick={() => setInput(i, null)} title="Remove">×</button>}
        </div>
      ))}
      {!readOnly && <button className="btn btn-small" data-testid="workflow-input-add" onClick={() => set({ inputs: [...meta.inputs, { name: `input${meta.inputs.length + 1}`, type: 'string', required: false }] })}>Add input</button>}
      <h4>Variables <span className="muted small">{'{{ variables.<name> }}'}</span></h4>
      {meta.variables.map((v, i) => (
        <div className="row-edit" key={i} data-testid={`workflow-variable-${i}`}>
          <input value={v.name} disabled={readOnly} placeholder="name" onChange={(e) => setVar(i, { name: e.target.value })} />
          <select value={v.type} disabled={readOnly} onChange={(e) => setVar(i, { type: e.target.value })}>
            {typeOptions(v.type).map((t) => <option key={t}>{t}</option>)}
          </select>
          {!readOnly && <button className="btn btn-ghost btn-small" onClick={() => setVar(i, null)} title="Remove">×</button>}
        </div>
      ))}
      {!readOnly && <button className="btn btn-small" data-testid="workflow-variable-add" onClick={() => set({ variables: [...meta.variables, { name: `var${meta.variables.length + 1}`, type: 'string' }] })}>Add variable</button>}
      {meta.locks.length > 0 && (
        <>
          <h4>Locks</h4>
          <ul className="outputs">{meta.locks.map((l) => <li key={l.name}><code>{l.name}</code> limit {l.limit}</li>)}</ul>
        </>
      )}
    </div>
  );
}
