import type { Setting } from '../api/types';

/**
 * Checks a setting's typed value as the server's SettingDefinition.Check does (exact text, no spaces,
 * booleans, whole numbers, the range, the choices); null when the server would take it.
 */
export function settingProblem(s: Setting, value: string): string | null {
  const allowed = s.allowed ? `: ${s.allowed}` : '';
  if (value === '' || value.trim() !== value) return `Enter a value without spaces${allowed}.`;
  switch (s.kind) {
    case 'boolean': return ['true', 'false'].includes(value.toLowerCase()) ? null : `Must be true or false.`;
    case 'choice': return !s.choices || s.choices.includes(value) ? null : `Must be one of ${s.choices.join(', ')}.`;
    case 'integer': case 'number': case 'duration': {
      const pattern = s.kind === 'integer' ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)$/;
      if (!pattern.test(value)) return `Must be ${s.kind === 'integer' ? 'a whole number' : 'a number'}${allowed}.`;
      const n = Number(value);
      if ((s.minimum != null && n < s.minimum) || (s.maximum != null && n > s.maximum)) return `Out of range${allowed}.`;
      return null;
    }
    default: return null;
  }
}
