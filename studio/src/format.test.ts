import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatInZone } from './format';

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
  it('shows a schedule\'s next run on the clock of its own zone, named', () => {
    // 02:00 in Berlin (winter, UTC+1) is 01:00 UTC, whatever zone the browser is in.
    expect(formatInZone('2026-12-02T01:00:00Z', 'Europe/Berlin')).toBe('2 Dec 2026, 02:00 Europe/Berlin');
    expect(formatInZone('2026-12-02T01:00:00Z', 'America/New_York')).toBe('1 Dec 2026, 20:00 America/New_York');
    expect(formatInZone('2026-12-02T01:00:00Z', 'Nowhere/Else')).toBe('2 Dec 2026, 01:00 UTC');
  });
});
