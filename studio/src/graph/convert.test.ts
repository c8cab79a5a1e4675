import { describe, expect, it } from 'vitest';
import { definition } from '../test/fixtures';
import { definitionToFlow, flowToDefinition } from './convert';
import { outcomeOfHandle } from './model';

describe('definition <-> flow', () => {
  it('round-trips a definition unchanged', () => {
    const def = definition();
    const back = flowToDefinition(def, definitionToFlow(def));
    expect(back).toEqual(def);
  });

  it('makes one node per activity and one edge per connection, with outcome handles', () => {
    const { nodes, edges } = definitionToFlow(definition());
    expect(nodes.map((n) => [n.id, n.position.y])).toEqual([['snapshot', 0], ['copy', 150], ['notify', 150]]);
    const failed = edges.find((e) => e.target === 'notify')!;
    expect(failed.source).toBe('snapshot');
    expect(outcomeOfHandle(failed.sourceHandle)).toBe('Failed');
    expect(failed.label).toBe('Failed');
  });

  it('drops connections to activities that do not exist', () => {
    const def = definition();
    def.connections.push({ source: 'copy', outcome: 'Done', target: 'ghost' });
    expect(definitionToFlow(def).edges).toHaveLength(2);
  });

  it('writes moved positions back rounded', () => {
    const def = definition();
    const flow = definitionToFlow(def);
    flow.nodes[0] = { ...flow.nodes[0], position: { x: 12.6, y: 40.2 } };
    expect(flowToDefinition(def, flow).activities[0].position).toEqual({ x: 13, y: 40 });
  });
});
