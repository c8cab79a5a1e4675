import { describe, expect, it } from 'vitest';
import { checkBindings, isBinding, parseExpression, renameStepRefs } from './bindings';

describe('binding syntax', () => {
  it('accepts the three forms', () => {
    expect(checkBindings('{{ input.vm }}')).toEqual({ refs: [{ kind: 'input', name: 'vm' }], errors: [] });
    expect(checkBindings('{{variables.count}}').refs).toEqual([{ kind: 'variables', name: 'count' }]);
    expect(checkBindings('{{ steps.copy-1.stagedPath }}').refs).toEqual([{ kind: 'steps', activityId: 'copy-1', output: 'stagedPath' }]);
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
    expect(checkBindings('{{ inputs.vm }}').errors[0]).toMatch(/not a binding/);
    expect(checkBindings('{{ steps.snap }}').errors).toHaveLength(1);
    expect(checkBindings('{{ input.a.b }}').errors).toHaveLength(1);
    expect(typeof parseExpression('input.9x')).toBe('string');
  });

  it('detects binding values', () => {
    expect(isBinding('{{ input.vm }}')).toBe(true);
    expect(isBinding('plain')).toBe(false);
    expect(isBinding(42)).toBe(false);
  });

  it('renames step references only for mapped ids', () => {
    const out = renameStepRefs('{{ steps.a.x }}-{{ steps.b.y }}-{{ input.a }}', (id) => (id === 'a' ? 'a2' : undefined));
    expect(out).toBe('{{ steps.a2.x }}-{{ steps.b.y }}-{{ input.a }}');
  });
});
