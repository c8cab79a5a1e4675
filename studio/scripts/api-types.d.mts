/** Path of docs/openapi.json. */
export const documentPath: string;
/** Path of src/api/schema.ts. */
export const schemaPath: string;
/** The TypeScript source of src/api/schema.ts for docs/openapi.json. */
export function generate(): Promise<string>;
