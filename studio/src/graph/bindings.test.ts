import { describe, expect, it } from 'vitest';
import { bindingStrings, checkBindings, isBinding, parseExpression, renameStepRefs } from './bindings';

describe('binding syntax', () => {
  it('accepts the three forms', () => {
    expect(checkBindings('{{ input.vm }}')).toEqual({ refs: [{ kind: 'input', name: 'vm', rest: [] }], errors: [] });
    expect(checkBindings('{{variables.count}}').refs).toEqual([{ kind: 'variables', name: 'count', rest: [] }]);
    expect(checkBindings('{{ steps.copy-1.stagedPath }}').refs).toEqual([{ kind: 'steps', activityId: 'copy-1', output: 'stagedPath', rest: [] }]);
  });

  it('accepts member and index access after the root, as the engine does', () => {
    expect(checkBindings('{{ steps.snap.disks[0].path }}').refs).toEqual([{ kind: 'steps', activityId: 'snap', output: 'disks', rest: [0, 'path'] }]);
    expect(checkBindings('{{ input.target.host }}').refs).toEqual([{ kind: 'input', name: 'target', rest: ['host'] }]);
    expect(checkBindings('{{ instance.id }}').refs).toEqual([{ kind: 'instance', rest: ['id'] }]);
    expect(checkBindings('{{ steps.snap }}').refs).toEqual([{ kind: 'steps', activityId: 'snap', output: undefined, rest: [] }]);
  });

  it('finds several bindings mixed with text', () => {
    const r = checkBindings('/backups/{{ input.vm }}/{{ steps.snap.id }}.qcow2');
    expect(r.errors).toEqual([]);
    expect(r.refs.map((x) => x.kind)).toEqual(['input', 'steps']);
  });

  it('rejects malformed bindings with a reason', () => {
    expect(checkBindings('{{ input.vm').errors[0]).toMatch(/not closed/);
    expect(checkBindings('x }}').errors[0]).toMatch(/without a matching/);
    expect(checkBindings('{{ }}').errors[0]).toMatch(/Empty/);
    expect(checkBindings('{{ inputs.vm }}').errors[0]).toMatch(/Unknown root "inputs"/);
    expect(checkBindings('{{ steps }}').errors[0]).toMatch(/needs an activity id/);
    expect(checkBindings('{{ input }}').errors[0]).toMatch(/needs a name/);
    expect(checkBindings('{{ input.a[x] }}').errors[0]).toMatch(/non-negative index/);
    expect(checkBindings('{{ input.a + 1 }}').errors[0]).toMatch(/Unexpected/);
    expect(typeof parseExpression('input.9x')).toBe('string');
  });

  it('detects binding values', () => {
    expect(isBinding('{{ input.vm }}')).toBe(true);
    expect(isBinding('plain')).toBe(false);
    expect(isBinding(42)).toBe(false);
  });

  it('renames step references only for mapped ids', () => {
    const out = renameStepRefs('{{ steps.a.x }}-{{ steps.b.y }}-{{ input.a }}-{{steps.a[0]}}-{{ steps.ab.x }}', (id) => (id === 'a' ? 'a2' : undefined));
    expect(out).toBe('{{ steps.a2.x }}-{{ steps.b.y }}-{{ input.a }}-{{steps.a2[0]}}-{{ steps.ab.x }}');
  });

  it('finds binding strings nested in lists and objects', () => {
    expect(bindingStrings(['a', '{{ input.x }}', { k: ['{{ steps.s.o }}'] }, 3])).toEqual(['{{ input.x }}', '{{ steps.s.o }}']);
  });
});
