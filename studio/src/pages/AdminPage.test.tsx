import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Setting } from '../api/types';
import { settingProblem } from '../forms/setting';
import { AdminPage } from './AdminPage';

const coroutines: Setting = {
  name: 'compression.coroutines', value: '1', default: '1', kind: 'integer', allowed: 'a whole number from 1 to 16',
  description: 'Parallel coroutines', minimum: 1, maximum: 16,
};
const enabled: Setting = { name: 'compression.enabled', value: 'true', default: 'true', kind: 'boolean', allowed: 'true or false', description: 'Run compression jobs' };
const misfire: Setting = {
  name: 'schedules.misfire.policy', value: 'run-once', default: 'run-once', kind: 'choice', allowed: "one of 'run-once', 'skip'",
  description: 'Missed firings', choices: ['run-once', 'skip'],
};

let puts: { url: string; body: unknown }[] = [];
let refuseNext = false;
beforeEach(() => {
  puts = [];
  refuseNext = false;
  vi.stubGlobal('confirm', () => true);
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit = {}) => {
    if (url === '/api/settings') return new Response(JSON.stringify([coroutines, enabled, misfire]));
    if (url === '/api/keys' && init.method === 'POST') return new Response(JSON.stringify({ name: 'ci', role: 'operator', key: 'bwf_secret' }));
    if (url === '/api/keys') return new Response(JSON.stringify([{ name: 'ci', role: 'operator', createdAt: '2026-11-01T00:00:00Z' }]));
    if (url === '/api/keys/ci' && init.method === 'DELETE') return new Response(null, { status: 204 });
    if (init.method === 'PUT') {
      puts.push({ url, body: JSON.parse(String(init.body)) });
      if (refuseNext) { refuseNext = false; return new Response(JSON.stringify({ title: 'Bad value', status: 400, detail: 'refused' }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }); }
      return new Response(JSON.stringify(coroutines));
    }
    return new Response('{}', { status: 404 });
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

describe('settings', () => {
  it('checks values as the server does', () => {
    expect(settingProblem(coroutines, '99')).toBe('Out of range: a whole number from 1 to 16.');
    expect(settingProblem(coroutines, '2.5')).toBe('Must be a whole number: a whole number from 1 to 16.');
    expect(settingProblem(coroutines, ' 2')).toContain('without spaces');
    expect(settingProblem(coroutines, '16')).toBeNull();
    expect(settingProblem(misfire, 'later')).toBe('Must be one of run-once, skip.');
  });

  it('offers a switch for booleans, a select for choices, and refuses an out-of-range number before sending it', async () => {
    render(<AdminPage />);
    const input = await screen.findByTestId('setting-input-compression.coroutines') as HTMLInputElement;
    expect(input.type).toBe('number');
    expect([input.min, input.max]).toEqual(['1', '16']);
    fireEvent.change(input, { target: { value: '99' } });
    expect(screen.getByTestId('setting-error-compression.coroutines').textContent).toBe('Out of range: a whole number from 1 to 16.');
    expect((screen.getByTestId('setting-save-compression.coroutines') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('setting-input-compression.enabled') as HTMLInputElement).getAttribute('role')).toBe('switch');
    expect(screen.getByTestId('setting-input-schedules.misfire.policy').tagName).toBe('SELECT');
    expect(screen.getByTestId('key-form-role').tagName).toBe('SELECT');
  });

  it('clears an error banner once a later save succeeds', async () => {
    render(<AdminPage />);
    const input = await screen.findByTestId('setting-input-compression.coroutines');
    fireEvent.change(input, { target: { value: '4' } });
    refuseNext = true;
    fireEvent.click(screen.getByTestId('setting-save-compression.coroutines'));
    await screen.findByTestId('error-banner');
    fireEvent.click(screen.getByTestId('setting-save-compression.coroutines'));
    await waitFor(() => expect(puts).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('error-banner')).toBeNull());
  });

  it('drops a created key from the banner once it is revoked', async () => {
    render(<AdminPage />);
    fireEvent.change(await screen.findByTestId('key-form-name'), { target: { value: 'ci' } });
    fireEvent.click(screen.getByTestId('key-form-submit'));
    expect((await screen.findByTestId('key-created-value')).textContent).toBe('bwf_secret');
    fireEvent.click(await screen.findByTestId('key-delete-ci'));
    await waitFor(() => expect(screen.queryByTestId('key-created')).toBeNull());
  });
});
