/**
 * Literal values per input type. The text the user types is parsed into the JSON value stored
 * in the definition; formatting is the inverse, so an untouched field round-trips unchanged.
 */
export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

export type EditorKind = 'text' | 'integer' | 'number' | 'bool' | 'list' | 'json';

/**
 * The editor for a type name. The server names types as JSON does (string, integer, number, boolean,
 * array, object, any); the older CLR-like names (int, long, double, bool, string[], json) are still read.
 */
export function editorKind(type: string): EditorKind {
  switch (type.toLowerCase()) {
    case 'int': case 'long': case 'integer': return 'integer';
    case 'double': case 'number': return 'number';
    case 'bool': case 'boolean': return 'bool';
    case 'string[]': return 'list';
    case 'object': case 'json': case 'array': return 'json';
    default: return 'text';
  }
}

const intLimits: Record<string, [number, number]> = {
  int: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], // beyond this JSON numbers lose digits in the browser
  integer: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Parses typed text; an empty field means "no value" (undefined), which `required` then rejects. */
export function parseLiteral(type: string, text: string): ParseResult {
  const t = type.toLowerCase();
  const kind = editorKind(t);
  if (kind !== 'text' && kind !== 'list' && text.trim() === '') return { ok: true, value: undefined };
  switch (kind) {
    case 'text':
      return { ok: true, value: text === '' ? undefined : text };
    case 'integer': {
      const s = text.trim();
      if (!/^[-+]?\d+$/.test(s)) return { ok: false, error: 'Enter a whole number.' };
      const n = Number(s);
      const [min, max] = intLimits[t];
      if (n < min || n > max) return { ok: false, error: `Must be between ${min} and ${max}.` };
      return { ok: true, value: n };
    }
    case 'number': {
      const n = Number(text.trim());
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'Enter a number.' };
    }
    case 'bool': {
      const s = text.trim().toLowerCase();
      if (s === 'true') return { ok: true, value: true };
      if (s === 'false') return { ok: true, value: false };
      return { ok: false, error: 'Enter true or false.' };
    }
    case 'list': {
      // One item per line; blank lines are ignored so a trailing newline adds nothing.
      const items = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      return { ok: true, value: items.length ? items : undefined };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch (e) {
        return { ok: false, error: `Invalid JSON: ${(e as Error).message}` };
      }
  }
}

export function formatLiteral(type: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (editorKind(type)) {
    case 'list': return Array.isArray(value) ? value.map(String).join('\n') : String(value);
    case 'json': return JSON.stringify(value, null, 2);
    case 'text': return typeof value === 'string' ? value : JSON.stringify(value);
    default: return String(value);
  }
}

/**
 * The value an editor stores for typed text: the parsed value, or the text itself when it does not
 * parse, so the definition keeps what the user typed and {@link checkLiteral} reports it (a value
 * that silently stayed at its previous state was saved as if nothing had been typed).
 */
export function literalValue(type: string, text: string): unknown {
  const r = parseLiteral(type, text);
  return r.ok ? r.value : text;
}

/** Checks a stored literal against its type; null when it fits. */
export function checkLiteral(type: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const t = type.toLowerCase();
  const shown = typeof value === 'string' ? ` "${value}" is not one.` : '';
  switch (editorKind(t)) {
    case 'text': return typeof value === 'string' || t === 'any' ? null : 'Expected text.';
    case 'integer': return Number.isInteger(value) ? null : `Expected a whole number;${shown || ' got something else.'}`;
    case 'number': return typeof value === 'number' ? null : `Expected a number;${shown || ' got something else.'}`;
    case 'bool': return typeof value === 'boolean' ? null : 'Expected true or false.';
    case 'list': return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'Expected a list of text.';
    case 'json':
      if (t === 'object' && (typeof value !== 'object' || Array.isArray(value))) return 'Expected a JSON object.';
      if (t === 'array' && !Array.isArray(value)) return 'Expected a JSON array.';
      return null;
  }
}

/** A value counts as missing when absent, null, an empty string or an empty list. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}
