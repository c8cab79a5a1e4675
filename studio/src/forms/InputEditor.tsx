import { useEffect, useState } from 'react';
import type { InputDescriptor } from '../api/types';
import { isBinding } from '../graph/bindings';
import type { ScopeEntry } from '../graph/scope';
import { BindingField } from './BindingField';
import { editorKind, formatLiteral, literalValue, parseLiteral } from './parse';

interface Props {
  input: Pick<InputDescriptor, 'name' | 'type' | 'required' | 'sensitive' | 'description' | 'default'>;
  value: unknown;
  scope: ScopeEntry[];
  problems?: string[];
  disabled?: boolean;
  onChange: (v: unknown) => void;
  testPrefix?: string;
  allowBinding?: boolean;
}

/** One input: a literal editor for its type, or a binding field; the toggle switches between them. */
export function InputEditor({ input, value, scope, problems = [], disabled, onChange, testPrefix = 'input', allowBinding = true }: Props) {
  const binding = isBinding(value);
  const [mode, setMode] = useState<'literal' | 'binding'>(binding ? 'binding' : 'literal');
  useEffect(() => { if (binding) setMode('binding'); }, [binding]);
  const id = `${testPrefix}-${input.name}`;
  return (
    <div className={`input-editor ${problems.length ? 'invalid' : ''}`} data-testid={`${id}-editor`}>
      <div className="input-label">
        <label htmlFor={id}>
          {input.name}{input.required && <span className="required" title="required">*</span>}
          {input.sensitive && <span className="sensitive" title="sensitive: masked in journals">🔒</span>}
          <span className="input-type">{input.type}</span>
        </label>
        {allowBinding && <button type="button" className={`mode-toggle ${mode === 'binding' ? 'on' : ''}`} disabled={disabled}
          data-testid={`${id}-mode`} title={mode === 'binding' ? 'Use a literal value' : 'Bind to an input, variable or earlier output'}
          onClick={() => {
            const next = mode === 'binding' ? 'literal' : 'binding';
            setMode(next);
            onChange(undefined);
          }}>
          {mode === 'binding' ? '{{ }}' : 'abc'}
        </button>}
      </div>
      {input.description && <div className="input-help">{input.description}</div>}
      {mode === 'binding' ? (
        <BindingField name={input.name} value={typeof value === 'string' ? value : ''} scope={scope} disabled={disabled} showSyntax={problems.length === 0}
          onChange={(v) => onChange(v === '' ? undefined : v)} />
      ) : (
        <LiteralEditor id={id} input={input} value={value} disabled={disabled} onChange={onChange} />
      )}
      {problems.map((p, i) => <div key={i} className="field-error" data-testid={`${id}-error`}>{p}</div>)}
    </div>
  );
}

function LiteralEditor({ id, input, value, disabled, onChange }: { id: string; input: Props['input']; value: unknown; disabled?: boolean; onChange: (v: unknown) => void }) {
  const kind = editorKind(input.type);
  const [text, setText] = useState(() => formatLiteral(input.type, value));
  const [error, setError] = useState<string | null>(null);
  // Follow outside changes (undo, another node selected) unless the text already means this value.
  useEffect(() => {
    const r = parseLiteral(input.type, text);
    if (r.ok ? JSON.stringify(r.value) !== JSON.stringify(value) : value !== text) {
      setText(formatLiteral(input.type, value));
      setError(null);
    }
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps

  const commit = (t: string) => {
    setText(t);
    const r = parseLiteral(input.type, t);
    setError(r.ok ? null : r.error);
    // Text that does not parse is kept as typed: validation reports it and a save cannot drop it.
    onChange(literalValue(input.type, t));
  };
  const placeholder = input.default !== undefined && input.default !== null ? `default: ${formatLiteral(input.type, input.default).replace(/\n/g, ', ')}` : '';

  let control;
  if (kind === 'bool')
    control = (
      <select id={id} data-testid={id} value={text} disabled={disabled} onChange={(e) => commit(e.target.value)}>
        <option value="">{placeholder || '(not set)'}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  else if (kind === 'list' || kind === 'json')
    control = (
      <textarea id={id} data-testid={id} className="mono" rows={kind === 'json' ? 4 : 3} value={text} disabled={disabled}
        placeholder={placeholder || (kind === 'list' ? 'one item per line' : '{ }')} spellCheck={false} onChange={(e) => commit(e.target.value)} />
    );
  else
    control = (
      <input id={id} data-testid={id} value={text} disabled={disabled} placeholder={placeholder}
        type={input.sensitive ? 'password' : 'text'} inputMode={kind === 'integer' || kind === 'number' ? 'decimal' : undefined}
        autoComplete="off" onChange={(e) => commit(e.target.value)} />
    );
  return (
    <>
      {control}
      {error && <div className="field-error" data-testid={`${id}-parse-error`}>{error}</div>}
      {input.sensitive && kind === 'text' && text !== '' && <div className="input-help">A literal secret is stored in the definition; prefer binding a workflow input.</div>}
    </>
  );
}
