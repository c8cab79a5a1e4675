/**
 * Binding syntax, as the engine's BindingPath reads it: a string holding `{{ path }}`, where a
 * path is a root (`input`, `variables`, `steps`, `instance`) followed by `.name` and `[index]`
 * accesses: `{{ input.vm }}`, `{{ variables.count }}`, `{{ steps.<activityId>.<output> }}`,
 * `{{ steps.snap.disks[0].path }}`, `{{ instance.id }}`. A string may mix text and several
 * bindings ("vm-{{ input.vm }}"); names may hold letters, digits, `_` and `-`.
 */
export type Segment = string | number;
export type BindingRef =
  | { kind: 'input'; name: string; rest: Segment[] }
  | { kind: 'variables'; name: string; rest: Segment[] }
  | { kind: 'steps'; activityId: string; output?: string; rest: Segment[] }
  | { kind: 'instance'; rest: Segment[] };

export interface BindingCheck {
  refs: BindingRef[];
  errors: string[];
}

const nameAt = /^[A-Za-z_][A-Za-z0-9_-]*/;
const roots = ['input', 'variables', 'steps', 'instance'];

/** Parses one path; a string result is the error. */
export function parseExpression(expr: string): BindingRef | string {
  const e = expr.trim();
  if (!e) return 'Empty binding {{ }}.';
  const root = e.match(nameAt)?.[0];
  if (!root) return `"${e}" must start with input, variables, steps or instance.`;
  if (!roots.includes(root)) return `Unknown root "${root}": use input, variables, steps or instance.`;
  const segs: Segment[] = [];
  let i = root.length;
  while (i < e.length) {
    if (e[i] === '.') {
      const n = e.slice(i + 1).match(nameAt)?.[0];
      if (!n) return `A name is expected after "." in "${e}".`;
      segs.push(n);
      i += 1 + n.length;
    } else if (e[i] === '[') {
      const m = e.slice(i).match(/^\[(\d+)\]/);
      if (!m) return `"[" must hold a non-negative index and be closed in "${e}".`;
      segs.push(Number(m[1]));
      i += m[0].length;
    } else return `Unexpected "${e[i]}" in "${e}".`;
  }
  const name = (k: number) => (typeof segs[k] === 'string' ? (segs[k] as string) : undefined);
  switch (root) {
    case 'steps':
      if (!name(0)) return `"steps" needs an activity id: steps.<activityId>.<output>.`;
      return { kind: 'steps', activityId: name(0)!, output: name(1), rest: segs.slice(2) };
    case 'instance':
      return { kind: 'instance', rest: segs };
    default:
      if (!name(0)) return `"${root}" needs a name: ${root}.<name>.`;
      return { kind: root as 'input' | 'variables', name: name(0)!, rest: segs.slice(1) };
  }
}

/** Finds every `{{ … }}` in the text, parsing each; unbalanced braces are errors. */
export function checkBindings(text: string): BindingCheck {
  const refs: BindingRef[] = [];
  const errors: string[] = [];
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    const strayClose = text.indexOf('}}', i);
    if (strayClose >= 0 && (open < 0 || strayClose < open)) {
      errors.push('"}}" without a matching "{{".');
      i = strayClose + 2;
      continue;
    }
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      errors.push('"{{" is not closed with "}}".');
      break;
    }
    const inner = text.slice(open + 2, close);
    if (inner.includes('{{')) {
      errors.push('Bindings cannot be nested.');
      i = close + 2;
      continue;
    }
    const parsed = parseExpression(inner);
    if (typeof parsed === 'string') errors.push(parsed);
    else refs.push(parsed);
    i = close + 2;
  }
  return { refs, errors };
}

/** Every string holding `{{` inside a value (strings, arrays and objects, as the engine walks them). */
export function bindingStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.includes('{{') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(bindingStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(bindingStrings);
  return [];
}

/** True when the value is a string holding at least one `{{`: it is edited as a binding. */
export function isBinding(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/** Rewrites `steps.<old>` references through the map (used when pasting copies). */
export function renameStepRefs(text: string, rename: (id: string) => string | undefined): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (whole, inner: string) => {
    const m = inner.match(/^(\s*steps\.)([A-Za-z_][A-Za-z0-9_-]*)([.[\s].*|)$/s);
    if (!m) return whole;
    const to = rename(m[2]);
    return to === undefined ? whole : `{{${m[1]}${to}${m[3]}}}`;
  });
}
