import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiKeyStore, errorFromResponse, request } from './client';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });

afterEach(() => { vi.unstubAllGlobals(); sessionStorage.clear(); });

describe('API client', () => {
  it('turns problem details into a readable message and keeps workflow problems', async () => {
    const e = await errorFromResponse(json(400, {
      title: 'Invalid workflow', status: 400, detail: 'The definition has 1 problem.',
      errors: { name: ['is required'] }, problems: [{ activityId: 'copy', path: 'source', message: 'source is required.' }],
    }));
    expect(e.message).toBe('Invalid workflow — The definition has 1 problem. — name: is required');
    expect(e.status).toBe(400);
    expect(e.problem?.problems?.[0].activityId).toBe('copy');
  });

  it('does not repeat field errors the detail already states', async () => {
    const e = await errorFromResponse(json(400, { title: 'Invalid input', status: 400, detail: 'cron: bad.', errors: { cron: ['bad.'], keep: ['too big'] } }));
    expect(e.message).toBe('Invalid input — cron: bad. — keep: too big');
  });

  it('reports proxy errors and HTML answers as an unreachable server', async () => {
    expect((await errorFromResponse(new Response('', { status: 502 }))).unreachable).toBe(true);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<!doctype html><html></html>', { status: 200 })));
    await expect(request('GET', '/api/me')).rejects.toMatchObject({ status: 0 });
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = await request('GET', '/api/me').catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/unreachable/);
  });

  it('sends the stored key and JSON body', async () => {
    apiKeyStore.set('k1');
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => json(200, { ok: true }));
    vi.stubGlobal('fetch', fetch);
    expect(await request('POST', '/api/x', { body: { a: 1 }, headers: { 'Idempotency-Key': 'abc' } })).toEqual({ ok: true });
    const init = fetch.mock.calls[0][1];
    expect(init.headers).toMatchObject({ 'X-Api-Key': 'k1', 'Content-Type': 'application/json', 'Idempotency-Key': 'abc' });
    expect(init.body).toBe('{"a":1}');
  });
});
