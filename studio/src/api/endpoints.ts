import { request } from './client';
import type {
  ActivityDescriptor, Backup, Host, InstanceDetail, InstanceStatus, InstanceSummary, JournalEntry, Me,
  ApiKeyInfo, CreatedKey, Job, Offering, Repository, Setting, RestoreRequest, Schedule, Vm, WorkflowDefinition, WorkflowSummary, WorkflowVersion,
} from './types';

const enc = encodeURIComponent;
const qs = (params: Record<string, string | number | boolean | undefined | null>) => {
  const p = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return p.length ? '?' + p.map(([k, v]) => `${k}=${enc(String(v))}`).join('&') : '';
};

/** Typed calls of docs/api.md, one function per endpoint. */
export const api = {
  me: (key?: string) => request<Me>('GET', '/api/me', { key }),
  health: () => request<{ status: string }>('GET', '/api/health'),

  descriptors: () => request<ActivityDescriptor[]>('GET', '/api/activity-descriptors'),
  workflows: () => request<WorkflowSummary[]>('GET', '/api/workflows'),
  workflow: (id: string, version?: number) => request<WorkflowDefinition>('GET', `/api/workflows/${enc(id)}${qs({ version })}`),
  saveWorkflow: (def: WorkflowDefinition) => request<WorkflowDefinition>('PUT', `/api/workflows/${enc(def.id)}`, { body: def }),
  publish: (id: string, version?: number) => request<WorkflowDefinition>('POST', `/api/workflows/${enc(id)}/publish`, { body: { version } }),
  versions: (id: string) => request<WorkflowVersion[]>('GET', `/api/workflows/${enc(id)}/versions`),
  revert: (id: string, version: number) => request<WorkflowDefinition>('POST', `/api/workflows/${enc(id)}/revert`, { body: { version } }),
  deleteWorkflow: (id: string) => request<void>('DELETE', `/api/workflows/${enc(id)}`),
  importWorkflow: (def: unknown, publish = false) => request<WorkflowDefinition>('POST', `/api/workflows/import${qs({ publish: publish || undefined })}`, { body: def }),
  exportWorkflow: (id: string, version?: number) => request<WorkflowDefinition>('GET', `/api/workflows/${enc(id)}/export${qs({ version })}`),
  run: (id: string, input: Record<string, unknown>) => request<{ instanceId: string }>('POST', `/api/workflows/${enc(id)}/run`, { body: { input } }),

  instances: (f: { status?: InstanceStatus; definitionId?: string; skip?: number; take?: number }) =>
    request<InstanceSummary[]>('GET', `/api/instances${qs(f)}`),
  instance: (id: string) => request<InstanceDetail>('GET', `/api/instances/${enc(id)}`),
  journal: (id: string) => request<JournalEntry[]>('GET', `/api/instances/${enc(id)}/journal`),
  cancel: (id: string) => request<void>('POST', `/api/instances/${enc(id)}/cancel`),
  retry: (id: string) => request<void>('POST', `/api/instances/${enc(id)}/retry`),

  hosts: () => request<Host[]>('GET', '/api/hosts'),
  addHost: (h: Host) => request<Host>('POST', '/api/hosts', { body: h }),
  deleteHost: (name: string) => request<void>('DELETE', `/api/hosts/${enc(name)}`),
  repositories: () => request<Repository[]>('GET', '/api/repositories'),
  addRepository: (r: Partial<Repository>) => request<Repository>('POST', '/api/repositories', { body: r }),
  deleteRepository: (name: string) => request<void>('DELETE', `/api/repositories/${enc(name)}`),
  offerings: () => request<Offering[]>('GET', '/api/offerings'),
  addOffering: (o: Offering) => request<Offering>('POST', '/api/offerings', { body: o }),
  deleteOffering: (name: string) => request<void>('DELETE', `/api/offerings/${enc(name)}`),

  vms: (host?: string) => request<Vm[]>('GET', `/api/vms${qs({ host })}`),
  assign: (vm: string, offering: string, repository: string) => request<void>('POST', `/api/vms/${enc(vm)}/assign`, { body: { offering, repository } }),
  unassign: (vm: string) => request<void>('POST', `/api/vms/${enc(vm)}/unassign`),

  backups: (vm?: string) => request<Backup[]>('GET', `/api/backups${qs({ vm })}`),
  deleteBackup: (id: string) => request<void>('DELETE', `/api/backups/${enc(id)}`),
  startBackup: (vm: string, full?: boolean, isolated?: boolean) => request<{ instanceId: string }>('POST', '/api/backups', { body: { vm, full, isolated } }),
  validateBackup: (id: string) => request<{ instanceId: string }>('POST', `/api/backups/${enc(id)}/validate`),
  screenshot: (id: string) => request<Response>('GET', `/api/backups/${enc(id)}/screenshot`, { raw: true, headers: { Accept: 'image/png' } }),
  /** The idempotency key makes a double click start one restore, not two. */
  restore: (r: RestoreRequest, idempotencyKey: string) =>
    request<{ instanceId: string }>('POST', '/api/restores', { body: r, headers: { 'Idempotency-Key': idempotencyKey } }),

  keys: () => request<ApiKeyInfo[]>('GET', '/api/keys'),
  createKey: (name: string, role: string) => request<CreatedKey>('POST', '/api/keys', { body: { name, role } }),
  deleteKey: (name: string) => request<void>('DELETE', `/api/keys/${enc(name)}`),
  settings: () => request<Setting[]>('GET', '/api/settings'),
  setSetting: (name: string, value: string) => request<Setting>('PUT', `/api/settings/${enc(name)}`, { body: { value } }),

  jobs: () => request<Job[]>('GET', '/api/jobs'),
  schedules: () => request<Schedule[]>('GET', '/api/schedules'),
  addSchedule: (s: Partial<Schedule>) => request<Schedule>('POST', '/api/schedules', { body: s }),
  deleteSchedule: (id: string) => request<void>('DELETE', `/api/schedules/${enc(id)}`),
};
