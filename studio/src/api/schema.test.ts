// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, schemaPath } from '../../scripts/api-types.mjs';

// schema.ts is generated from docs/openapi.json, which OpenApiContractTests (Server.Tests) holds to what the server serves.
describe('generated API types', () => {
  it('schema.ts is what docs/openapi.json generates (else run deploy/openapi.sh)', async () => {
    const expected = await generate();
    const actual = readFileSync(schemaPath, 'utf8');
    expect(actual === expected, 'studio/src/api/schema.ts is stale: run deploy/openapi.sh').toBe(true);
  });
});
