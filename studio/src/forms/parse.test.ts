import { describe, expect, it } from 'vitest';
import { checkLiteral, editorKind, formatLiteral, isMissing, parseLiteral } from './parse';

describe('literal parsing per input type', () => {
  it('parses ints and longs strictly', () => {
    expect(parseLiteral('int', ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseLiteral('int', '4.2').ok).toBe(false);
    expect(parseLiteral('int', '3000000000')).toEqual({ ok: false, error: 'Must be between -2147483648 and 2147483647.' });
    expect(parseLiteral('long', '3000000000')).toEqual({ ok: true, value: 3000000000 });
    expect(parseLiteral('int', '')).toEqual({ ok: true, value: undefined });
  });

  it('parses doubles, bools, lists and json', () => {
    expect(parseLiteral('double', '2.5e3')).toEqual({ ok: true, value: 2500 });
    expect(parseLiteral('double', 'abc').ok).toBe(false);
    expect(parseLiteral('bool', 'TRUE')).toEqual({ ok: true, value: true });
    expect(parseLiteral('bool', 'yes').ok).toBe(false);
    expect(parseLiteral('string[]', 'vda\n\n vdb \n')).toEqual({ ok: true, value: ['vda', 'vdb'] });
    expect(parseLiteral('json', '{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    const bad = parseLiteral('json', '{a:1}');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Invalid JSON/);
  });

  it('keeps strings as typed; empty means no value', () => {
    expect(parseLiteral('string', '  spaced ')).toEqual({ ok: true, value: '  spaced ' });
    expect(parseLiteral('string', '')).toEqual({ ok: true, value: undefined });
  });

  it('formats back to the same text', () => {
    for (const [type, text] of [['int', '7'], ['string[]', 'a\nb'], ['bool', 'false'], ['string', 'x']] as const) {
      const r = parseLiteral(type, text);
      expect(r.ok && formatLiteral(type, r.value)).toBe(text);
    }
    expect(formatLiteral('json', { a: 1 })).toBe('{\n  "a": 1\n}');
  });

  it('checks stored literals against types', () => {
    expect(checkLiteral('int', 3)).toBeNull();
    expect(checkLiteral('int', 3.5)).not.toBeNull();
    expect(checkLiteral('object', [1])).toBe('Expected a JSON object.');
    expect(checkLiteral('string[]', ['a', 1])).not.toBeNull();
    expect(editorKind('LONG')).toBe('integer');
    expect(isMissing([])).toBe(true);
    expect(isMissing(false)).toBe(false);
  });
});
