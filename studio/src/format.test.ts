import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format';

describe('formatting', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(21 * 2 ** 30)).toBe('21.0 GiB');
    expect(formatBytes(null)).toBe('—');
  });
  it('formats durations without zero parts', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(1800)).toBe('30 min');
    expect(formatDuration(340)).toBe('5 min 40 s');
    expect(formatDuration(7260)).toBe('2 h 1 min');
  });
});
