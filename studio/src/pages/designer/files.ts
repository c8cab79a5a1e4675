import type { WorkflowDefinition } from '../../api/types';

/** Saves a value as a pretty-printed JSON download. */
export function downloadJson(fileName: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Reads a definition file, filling absent lists so a hand-written file still loads. */
export async function readDefinitionFile(f: File): Promise<WorkflowDefinition> {
  return (await readDefinitionFileWithLayout(f)).definition;
}

/** As readDefinitionFile, also telling whether the file had no positions at all (then it wants an auto-layout). */
export async function readDefinitionFileWithLayout(f: File): Promise<{ definition: WorkflowDefinition; needsLayout: boolean }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await f.text());
  } catch (e) {
    throw new Error(`${f.name} is not JSON: ${(e as Error).message}`);
  }
  const d = parsed as Partial<WorkflowDefinition>;
  if (!d || typeof d !== 'object' || typeof d.id !== 'string' || !Array.isArray(d.activities))
    throw new Error(`${f.name} is not a workflow definition (it needs an "id" and an "activities" list).`);
  const needsLayout = d.activities.length > 0 && d.activities.every((a) => !a.position);
  const definition: WorkflowDefinition = {
    id: d.id, name: d.name ?? d.id, description: d.description ?? '', version: d.version ?? 0, isPublished: false,
    inputs: d.inputs ?? [], variables: d.variables ?? [], locks: d.locks ?? [], connections: d.connections ?? [],
    activities: d.activities.map((a, i) => ({ ...a, inputs: a.inputs ?? {}, position: a.position ?? { x: 0, y: i * 140 } })),
  };
  return { definition, needsLayout };
}
