import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkflowDefinition } from '../api/types';
import { cardSize as card, overlap } from './layout';

// The workflows the server ships (repository's workflows/), opened in the designer and in every run view.
const dir = join(__dirname, '..', '..', '..', 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('shipped workflows', () => {
  it('are found', () => expect(files).toContain('backup.json'));

  it.each(files)('%s lays out every node clear of every other', (file) => {
    const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkflowDefinition;
    const boxes = d.activities.map((a) => ({ id: a.id, x: a.position?.x ?? 0, y: a.position?.y ?? 0, ...card }));
    const stacked = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => overlap(a, b, 20)).map((b) => `${a.id} on ${b.id}`));
    expect(stacked).toEqual([]);
  });
});
