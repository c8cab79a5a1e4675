/**
 * Binding syntax: a value is a binding when its string holds `{{ expression }}`; expressions are
 * `input.<name>`, `variables.<name>` or `steps.<activityId>.<output>`. A string may mix text and
 * several bindings ("vm-{{ input.vm }}"); the server resolves each.
 */
export type BindingRef =
  | { kind: 'input'; name: string }
  | { kind: 'variables'; name: string }
  | { kind: 'steps'; activityId: string; output: string };

export interface BindingCheck {
  refs: BindingRef[];
  errors: string[];
}

const name = '[A-Za-z_][A-Za-z0-9_]*';
const activityIdPattern = '[A-Za-z_][A-Za-z0-9_-]*';
const exprPatterns: [RegExp, (m: RegExpMatchArray) => BindingRef][] = [
  [new RegExp(`^input\\.(${name})$`), (m) => ({ kind: 'input', name: m[1] })],
  [new RegExp(`^variables\\.(${name})$`), (m) => ({ kind: 'variables', name: m[1] })],
  [new RegExp(`^steps\\.(${activityIdPattern})\\.(${name})$`), (m) => ({ kind: 'steps', activityId: m[1], output: m[2] })],
];

/** True when the value is a string holding at least one `{{`: it is edited as a binding. */
export function isBinding(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

export function parseExpression(expr: string): BindingRef | string {
  const e = expr.trim();
  if (!e) return 'Empty binding {{ }}.';
  for (const [re, make] of exprPatterns) {
    const m = e.match(re);
    if (m) return make(m);
  }
  return `"${e}" is not a binding: use input.<name>, variables.<name> or steps.<activityId>.<output>.`;
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

export function refToExpression(r: BindingRef): string {
  switch (r.kind) {
    case 'input': return `input.${r.name}`;
    case 'variables': return `variables.${r.name}`;
    case 'steps': return `steps.${r.activityId}.${r.output}`;
  }
}

/** Rewrites `steps.<old>.` references through the map (used when pasting copies). */
export function renameStepRefs(text: string, rename: (id: string) => string | undefined): string {
  return text.replace(/\{\{([^{}]*)\}\}/g, (whole, inner: string) => {
    const m = inner.match(new RegExp(`^(\\s*steps\\.)(${activityIdPattern})(\\..*)$`, 's'));
    if (!m) return whole;
    const to = rename(m[2]);
    return to === undefined ? whole : `{{${m[1]}${to}${m[3]}}}`;
  });
}
