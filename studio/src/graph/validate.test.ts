import { describe, expect, it } from 'vitest';
import type { ActivityDescriptor } from '../api/types';
import { definition, descriptors } from '../test/fixtures';
import { problemsByActivity, validateDefinition } from './validate';

describe('validateDefinition', () => {
  it('finds nothing wrong in a valid definition', () => {
    expect(validateDefinition(definition(), descriptors)).toEqual([]);
  });

  it('reports missing required inputs on the node, honouring defaults', () => {
    const def = definition();
    def.activities[0].inputs = {}; // vm required, quiesce has a default
    const p = validateDefinition(def, descriptors);
    expect(p).toEqual([{ activityId: 'snapshot', path: 'vm', message: 'vm is required.' }]);
  });

  it('reports bindings to unknown or later things', () => {
    const def = definition();
    def.activities[0].inputs.vm = '{{ steps.copy.stagedPath }}'; // copy runs after snapshot
    def.activities[2].inputs.message = '{{ input.host }} {{ variables.nope }} {{ steps.snapshot.size }}';
    const byNode = problemsByActivity(validateDefinition(def, descriptors));
    expect(byNode.get('snapshot')!.map((p) => p.message)).toEqual(['vm: "copy" does not run before this activity.']);
    expect(byNode.get('notify')!.map((p) => p.message)).toEqual([
      'message: the workflow has no input "host".',
      'message: the workflow has no variable "nope".',
      'message: "snapshot" has no output "size".',
    ]);
  });

  it('checks bindings inside lists and instance fields', () => {
    const def = definition();
    def.activities[0].inputs.vm = '{{ instance.correlationId }}';
    def.activities[1].inputs.source = '{{ steps.snapshot.disks[0] }}';
    expect(validateDefinition(def, descriptors)).toEqual([]);
    def.activities[0].inputs.vm = '{{ instance.secret }}';
    def.activities.push({ id: 'n2', type: 'Flow.Notify', version: 1, inputs: { message: 'x', options: { to: ['{{ steps.copy.stagedPath }}'] } }, position: { x: 0, y: 0 } });
    const msgs = validateDefinition(def, descriptors).map((p) => `${p.activityId}|${p.message}`);
    expect(msgs).toContain('snapshot|vm: instance has only id, definitionId, definitionVersion, correlationId.');
    expect(msgs).toContain('n2|options: "copy" does not run before this activity.');
  });

  it('reports wrong literal types, unknown types, unknown outcomes and a missing start', () => {
    const def = definition();
    def.activities[1].inputs.bandwidth = 'fast';
    def.activities.push({ id: 'x', type: 'Nope', version: 1, inputs: {}, position: { x: 0, y: 0 } });
    def.connections.push({ source: 'copy', outcome: 'Maybe', target: 'snapshot' });
    const msgs = validateDefinition(def, descriptors).map((p) => `${p.activityId ?? ''}|${p.message}`);
    expect(msgs).toContain('copy|bandwidth: Expected a whole number; "fast" is not one.');
    expect(msgs).toContain('x|Unknown activity type "Nope".');
    expect(msgs).toContain('copy|copy has no outcome "Maybe".');
    expect(msgs).not.toContain('|No start activity: every activity has an incoming connection.'); // x has no incoming
    def.connections.push({ source: 'copy', outcome: 'Done', target: 'x' });
    expect(validateDefinition(def, descriptors).some((p) => p.message.startsWith('No start activity'))).toBe(true);
  });

  it('reports what the server rejects: empty id, unknown input types, unreachable activities', () => {
    const def = definition();
    def.id = '';
    def.inputs.push({ name: 'count', type: 'int', required: false });
    def.activities.push({ id: 'island', type: 'Flow.Notify', version: 1, inputs: { message: 'x' }, position: { x: 600, y: 0 } });
    def.connections.push({ source: 'island', outcome: 'Done', target: 'copy' });
    const msgs = validateDefinition(def, descriptors).map((p) => `${p.activityId ?? ''}|${p.path ?? ''}|${p.message}`);
    expect(msgs).toContain('|id|The workflow id must be letters, digits, ".", "_" or "-".');
    expect(msgs).toContain('|inputs[1].type|Input "count": the type must be one of string, integer, number, boolean, array, object, any.');
    // A Start activity decides where the flow begins: with none, every activity nothing leads to is an entry.
    expect(msgs.filter((m) => m.includes('Unreachable'))).toEqual([]);
    def.activities.push({ id: 'start', type: 'Flow.Start', version: 1, inputs: {}, position: { x: 0, y: -150 } });
    def.connections.push({ source: 'start', outcome: 'Done', target: 'snapshot' });
    const unreachable = validateDefinition(def, [...descriptors, start]).filter((p) => p.message.startsWith('Unreachable')).map((p) => p.activityId);
    expect(unreachable).toEqual(['island']);
  });

  it('checks a Delay as it runs: seconds or until, in range, and bound values of the right type', () => {
    const def = definition();
    def.inputs.push({ name: 'label', type: 'string', required: false }, { name: 'wait', type: 'number', required: false });
    def.activities.push({ id: 'delay', type: 'Flow.Delay', version: 1, inputs: {}, position: { x: 0, y: 300 } });
    def.connections.push({ source: 'copy', outcome: 'Done', target: 'delay' });
    const delayProblems = (inputs: Record<string, unknown>) => {
      def.activities[3].inputs = inputs;
      return validateDefinition(def, [...descriptors, delay]).filter((p) => p.activityId === 'delay').map((p) => p.message);
    };
    expect(delayProblems({})).toEqual(['Give seconds or until: a Delay needs one of them.']);
    expect(delayProblems({ seconds: -5 })).toEqual(['seconds: must be from 0 to 3155760000 (100 years).']);
    expect(delayProblems({ seconds: 'ten' })).toEqual(['seconds: Expected a number; "ten" is not one.']);
    expect(delayProblems({ seconds: '{{ input.label }}' })).toEqual(['seconds: binds text to a number input; bind a number value.']);
    expect(delayProblems({ seconds: '{{ input.wait }} s' })).toEqual(['seconds: binds text to a number input; bind a number value.']);
    expect(delayProblems({ seconds: '{{ input.wait }}' })).toEqual([]);
    expect(delayProblems({ until: 'soon' })).toEqual(['until: not a moment (ISO 8601, e.g. 2026-12-01T06:00:00Z).']);
    expect(delayProblems({ until: '2026-12-01T06:00:00Z' })).toEqual([]);
  });
});

const start: ActivityDescriptor = { type: 'Flow.Start', version: 1, category: 'Flow', displayName: 'Start', inputs: [], outputs: [], outcomes: ['Done'], dynamicOutcomes: false, isTrigger: false };
const delay: ActivityDescriptor = {
  type: 'Flow.Delay', version: 1, category: 'Flow', displayName: 'Delay',
  inputs: [{ name: 'seconds', type: 'number', required: false, sensitive: false }, { name: 'until', type: 'string', required: false, sensitive: false }],
  outputs: [], outcomes: ['Done'], dynamicOutcomes: false, isTrigger: false,
};
