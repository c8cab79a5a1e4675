import type { ActivityDescriptor, WorkflowDefinition } from '../api/types';
import { checkLiteral, isMissing } from '../forms/parse';
import { bindingStrings, checkBindings, isBinding } from './bindings';
import type { Problem } from './model';
import { ancestors } from './scope';

const instanceFields = ['id', 'definitionId', 'correlationId'];

/**
 * The studio's own checks, run as the user edits (the server re-validates on save).
 * Each problem names the activity it concerns so the canvas can mark that node.
 */
export function validateDefinition(def: WorkflowDefinition, descriptors: ActivityDescriptor[]): Problem[] {
  const problems: Problem[] = [];
  const byType = new Map(descriptors.map((d) => [d.type, d]));
  const activities = new Map(def.activities.map((a) => [a.id, a]));
  const inputs = new Set(def.inputs.map((i) => i.name));
  const variables = new Set(def.variables.map((v) => v.name));

  if (def.activities.length && def.activities.every((a) => def.connections.some((c) => c.target === a.id)))
    problems.push({ message: 'No start activity: every activity has an incoming connection.' });

  for (const a of def.activities) {
    const d = byType.get(a.type);
    const at = (path: string | null, message: string) => problems.push({ activityId: a.id, path, message });
    if (!d) {
      at(null, `Unknown activity type "${a.type}".`);
      continue;
    }
    const before = ancestors(a.id, def.connections);
    for (const input of d.inputs) {
      const value = a.inputs[input.name];
      if (input.required && isMissing(value) && isMissing(input.default)) at(input.name, `${input.name} is required.`);
      for (const text of bindingStrings(value)) {
        const { refs, errors } = checkBindings(text);
        errors.forEach((e) => at(input.name, `${input.name}: ${e}`));
        for (const r of refs) {
          if (r.kind === 'instance' && r.rest.length && !instanceFields.includes(String(r.rest[0])))
            at(input.name, `${input.name}: instance has only ${instanceFields.join(', ')}.`);
          if (r.kind === 'input' && !inputs.has(r.name)) at(input.name, `${input.name}: the workflow has no input "${r.name}".`);
          if (r.kind === 'variables' && !variables.has(r.name)) at(input.name, `${input.name}: the workflow has no variable "${r.name}".`);
          if (r.kind === 'steps') {
            const source = activities.get(r.activityId);
            if (!source) at(input.name, `${input.name}: no activity "${r.activityId}".`);
            else if (!before.has(r.activityId)) at(input.name, `${input.name}: "${r.activityId}" does not run before this activity.`);
            else if (r.output !== undefined) {
              const outputs = byType.get(source.type)?.outputs ?? [];
              if (!outputs.some((o) => o.name === r.output)) at(input.name, `${input.name}: "${r.activityId}" has no output "${r.output}".`);
            }
          }
        }
      }
      if (!isBinding(value)) {
        const err = checkLiteral(input.type, value);
        if (err) at(input.name, `${input.name}: ${err}`);
      }
    }
    for (const name of Object.keys(a.inputs))
      if (!d.inputs.some((i) => i.name === name)) at(name, `"${name}" is not an input of ${d.displayName}.`);
  }
  for (const c of def.connections) {
    const d = byType.get(activities.get(c.source)?.type ?? '');
    if (d && !d.dynamicOutcomes && !d.outcomes.includes(c.outcome))
      problems.push({ activityId: c.source, path: c.outcome, message: `${c.source} has no outcome "${c.outcome}".` });
  }
  return problems;
}

/** Problems grouped by activity id; workflow-level ones under "". */
export function problemsByActivity(problems: Problem[]): Map<string, Problem[]> {
  const m = new Map<string, Problem[]>();
  for (const p of problems) {
    const k = p.activityId ?? '';
    m.set(k, [...(m.get(k) ?? []), p]);
  }
  return m;
}
