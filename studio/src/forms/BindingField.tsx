import { useMemo, useRef, useState } from 'react';
import { checkBindings } from '../graph/bindings';
import { applyCompletion, completeAt, type Completion, type ScopeEntry } from '../graph/scope';

/**
 * A text field for `{{ binding }}` values with completion of what is in scope: typing `{{`
 * (or focusing an empty field) lists inputs, variables and earlier outputs; arrows pick,
 * Enter/Tab insert, Escape closes.
 */
export function BindingField({ name, value, scope, disabled, showSyntax = true, onChange }: {
  name: string;
  /** Off when the caller already lists validation problems for this value. */
  showSyntax?: boolean;
  value: string;
  scope: ScopeEntry[];
  disabled?: boolean;
  onChange: (v: string) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const completion: Completion | null = useMemo(() => {
    if (cursor === null) return null;
    if (value.trim() === '') return { from: 0, partial: '', items: scope };
    return completeAt(value, cursor, scope);
  }, [value, cursor, scope]);
  const open = !!completion && completion.items.length > 0 && !disabled;
  const syntax = showSyntax ? checkBindings(value).errors : [];

  const pick = (entry: ScopeEntry) => {
    if (!completion) return;
    const next = value.trim() === '' ? { text: `{{ ${entry.expression} }}`, cursor: entry.expression.length + 6 } : applyCompletion(value, cursor ?? value.length, completion, entry);
    onChange(next.text);
    setCursor(null);
    requestAnimationFrame(() => ref.current?.setSelectionRange(next.cursor, next.cursor));
  };

  return (
    <div className="binding-field">
      <input ref={ref} className="mono" value={value} disabled={disabled} data-testid={`input-${name}`} placeholder="{{ input.name }}"
        spellCheck={false} autoComplete="off" role="combobox" aria-expanded={open}
        onChange={(e) => { onChange(e.target.value); setCursor(e.target.selectionStart); setActive(0); }}
        onFocus={(e) => setCursor(e.target.selectionStart ?? value.length)}
        onClick={(e) => setCursor(e.currentTarget.selectionStart)}
        onBlur={() => setTimeout(() => setCursor(null), 150)}
        onKeyDown={(e) => {
          if (!open || !completion) return;
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => (a + 1) % completion.items.length); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => (a - 1 + completion.items.length) % completion.items.length); }
          else if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); pick(completion.items[Math.min(active, completion.items.length - 1)]); }
          else if (e.key === 'Escape') setCursor(null);
        }} />
      {open && (
        <ul className="completion" role="listbox" data-testid="completion-list">
          {completion.items.slice(0, 12).map((s, i) => (
            <li key={s.expression} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              data-testid={`completion-${s.expression}`}
              onMouseDown={(e) => { e.preventDefault(); pick(s); }}>
              <span className="mono">{s.expression}</span>
              <span className="completion-type">{s.type}</span>
            </li>
          ))}
        </ul>
      )}
      {syntax.map((m, i) => <div key={i} className="field-error">{m}</div>)}
    </div>
  );
}
