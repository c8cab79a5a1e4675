import { describe, expect, it } from 'vitest';
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
    expect(msgs).toContain('snapshot|vm: instance has only id, definitionId, correlationId.');
    expect(msgs).toContain('n2|options: "copy" does not run before this activity.');
  });

  it('reports wrong literal types, unknown types, unknown outcomes and a missing start', () => {
    const def = definition();
    def.activities[1].inputs.bandwidth = 'fast';
    def.activities.push({ id: 'x', type: 'Nope', version: 1, inputs: {}, position: { x: 0, y: 0 } });
    def.connections.push({ source: 'copy', outcome: 'Maybe', target: 'snapshot' });
    const msgs = validateDefinition(def, descriptors).map((p) => `${p.activityId ?? ''}|${p.message}`);
    expect(msgs).toContain('copy|bandwidth: Expected a whole number.');
    expect(msgs).toContain('x|Unknown activity type "Nope".');
    expect(msgs).toContain('copy|copy has no outcome "Maybe".');
    expect(msgs).not.toContain('|No start activity: every activity has an incoming connection.'); // x has no incoming
    def.connections.push({ source: 'copy', outcome: 'Done', target: 'x' });
    expect(validateDefinition(def, descriptors).some((p) => p.message.startsWith('No start activity'))).toBe(true);
  });
});
