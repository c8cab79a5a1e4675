import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { components } from '../api/schema';
import { SessionContext, sessionFor } from '../session';
import { SchedulesPage } from './SchedulesPage';

type Schedule = components['schemas']['ScheduleDto'];
const weekly: Schedule = { id: 's-1', vm: 'web', offering: null, cron: 'weekly', quartzCron: '0 0 0 ? * SUN', timeZone: 'UTC', keep: null,
  nextFireAt: null, workflow: 'backup-and-notify', input: { type: 'full' } };
const nightly: Schedule = { ...weekly, id: 's-2', workflow: null, input: null };
let posted: unknown;

beforeEach(() => {
  posted = undefined;
  vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
    if (url === '/api/schedules' && init?.method === 'POST') {
      posted = JSON.parse(String(init.body));
      return Promise.resolve(new Response(JSON.stringify({ ...weekly, id: 's-3' }), { status: 201 }));
    }
    if (url === '/api/schedules') return Promise.resolve(new Response(JSON.stringify([weekly, nightly])));
    return Promise.resolve(new Response('[]'));
  }));
});
afterEach(() => { cleanup(); vi.unstubAllGlobals(); });

const renderPage = () => render(
  <SessionContext.Provider value={sessionFor({ name: 'root', role: 'operator' }, () => {})}>
    <SchedulesPage />
  </SessionContext.Provider>,
);

describe('Schedules page', () => {
  it('shows the workflow and input each schedule starts, and sends the ones given', async () => {
    renderPage();
    expect((await screen.findByTestId('schedule-workflow-s-1')).textContent).toBe('backup-and-notify{"type":"full"}');
    expect(screen.getByTestId('schedule-workflow-s-2').textContent).toBe("offering's backup");

    const set = (field: string, value: string) => fireEvent.change(screen.getByTestId(`schedule-form-${field}`), { target: { value } });
    set('vm', 'db');
    set('workflow', 'backup-and-notify');
    set('input', '{"type": "full"}');
    fireEvent.click(screen.getByTestId('schedule-form-submit'));

    await waitFor(() => expect(posted).toBeDefined());
    expect(posted).toMatchObject({ vm: 'db', workflow: 'backup-and-notify', input: { type: 'full' } });
  });

  it('refuses input that is not a JSON object, naming the field, and sends nothing', async () => {
    renderPage();
    await screen.findByTestId('schedule-workflow-s-1');
    fireEvent.change(screen.getByTestId('schedule-form-vm'), { target: { value: 'db' } });
    fireEvent.change(screen.getByTestId('schedule-form-input'), { target: { value: '[1, 2]' } });
    fireEvent.click(screen.getByTestId('schedule-form-submit'));
    expect(await screen.findByText(/Input \(JSON object\): not a JSON object/)).toBeTruthy();
    expect(posted).toBeUndefined();
  });
});
