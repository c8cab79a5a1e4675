import type { ActivityDescriptor, WorkflowDefinition } from '../api/types';
import { checkLiteral, editorKind, isMissing } from '../forms/parse';
import { bindingStrings, checkBindings, isBinding } from './bindings';
import type { Problem } from './model';
import { ancestors } from './scope';

const instanceFields = ['id', 'definitionId', 'definitionVersion', 'correlationId'];

/** The type names a workflow input may declare (the server's DefinitionValidator.InputTypes). */
export const workflowInputTypes = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'any'];
const idPattern = /^[A-Za-z0-9._-]{1,200}$/;
const activityIdPattern = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const startType = 'Flow.Start';

/** Where execution begins (the engine's FlowGraph): the Start activity, else every activity nothing leads to. */
function entries(def: WorkflowDefinition): string[] {
  const starts = def.activities.filter((a) => a.type === startType).map((a) => a.id);
  if (starts.length) return starts;
  const targets = new Set(def.connections.map((c) => c.target));
  return def.activities.filter((a) => !targets.has(a.id)).map((a) => a.id);
}

function reachable(def: WorkflowDefinition): Set<string> {
  const seen = new Set<string>();
  const queue = entries(def);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const c of def.connections) if (c.source === id) queue.push(c.target);
  }
  return seen;
}

/**
 * The type a value gives an input when the engine evaluates it: a value that is one binding and
 * nothing else keeps the bound value's type; text around a binding makes it text. Undefined when unknown.
 */
function boundType(value: string, def: WorkflowDefinition, descriptors: Map<string, ActivityDescriptor>): string | undefined {
  const { refs } = checkBindings(value);
  if (!/^\s*\{\{[^{}]*\}\}\s*$/.test(value)) return refs.length ? 'string' : undefined;
  const r = refs[0];
  if (!r || r.rest.length) return undefined;
  if (r.kind === 'input') return def.inputs.find((i) => i.name === r.name)?.type;
  if (r.kind === 'variables') return def.variables.find((v) => v.name === r.name)?.type;
  if (r.kind === 'steps' && r.output) {
    const source = def.activities.find((a) => a.id === r.activityId);
    return descriptors.get(source?.type ?? '')?.outputs.find((o) => o.name === r.output)?.type;
  }
  return undefined;
}

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

  if (!idPattern.test(def.id)) problems.push({ path: 'id', message: 'The workflow id must be letters, digits, ".", "_" or "-".' });
  def.inputs.forEach((i, n) => {
    if (!i.name.trim()) problems.push({ path: `inputs[${n}].name`, message: 'An input needs a name.' });
    if (!workflowInputTypes.includes(i.type.toLowerCase()))
      problems.push({ path: `inputs[${n}].type`, message: `Input "${i.name}": the type must be one of ${workflowInputTypes.join(', ')}.` });
  });
  if (def.activities.filter((a) => a.type === startType).length > 1) problems.push({ message: 'A workflow may have only one Start activity.' });
  if (def.activities.length && entries(def).length === 0)
    problems.push({ message: 'No start activity: every activity has an incoming connection.' });
  else {
    const live = reachable(def);
    for (const a of def.activities)
      if (!live.has(a.id)) problems.push({ activityId: a.id, path: null, message: 'Unreachable: no connection leads here from the start.' });
  }

  for (const a of def.activities) {
    const d = byType.get(a.type);
    const at = (path: string | null, message: string) => problems.push({ activityId: a.id, path, message });
    if (!d) {
      at(null, `Unknown activity type "${a.type}".`);
      continue;
    }
    if (!activityIdPattern.test(a.id)) at('id', 'An activity id must start with a letter and hold only letters, digits, "_" or "-".');
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
      } else {
        const kind = editorKind(input.type);
        const from = boundType(value, def, byType);
        if ((kind === 'integer' || kind === 'number' || kind === 'bool') && from !== undefined && editorKind(from) === 'text' && from.toLowerCase() !== 'any')
          at(input.name, `${input.name}: binds text to a ${input.type} input; bind a ${input.type} value.`);
      }
    }
    if (a.type === 'Flow.Delay') checkDelay(a.inputs, at);
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

/** Flow.Delay fails at run time without a moment or a wait from 0 s to 100 years: said while designing. */
function checkDelay(inputs: Record<string, unknown>, at: (path: string | null, message: string) => void) {
  const { seconds, until } = inputs;
  if (isMissing(seconds) && isMissing(until)) at('seconds', 'Give seconds or until: a Delay needs one of them.');
  if (typeof seconds === 'number' && (seconds < 0 || seconds > 3_155_760_000)) at('seconds', 'seconds: must be from 0 to 3155760000 (100 years).');
  if (typeof until === 'string' && !isBinding(until) && Number.isNaN(Date.parse(until))) at('until', 'until: not a moment (ISO 8601, e.g. 2026-12-01T06:00:00Z).');
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
