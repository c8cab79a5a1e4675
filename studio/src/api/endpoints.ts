import { request } from './client';
import type { operations } from './schema';
import type { InstanceStatus, RestoreFilesRequest, RestoreRequest, WorkflowDefinition } from './types';

const enc = encodeURIComponent;
const qs = (params: Record<string, string | number | boolean | undefined | null>) => {
  const p = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return p.length ? '?' + p.map(([k, v]) => `${k}=${enc(String(v))}`).join('&') : '';
};

type Operation = keyof operations;
type Responses<Op extends Operation> = operations[Op]['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON a successful call of operation `Op` answers with (its 200, 201 or 202 body; void when it has none). */
type Answer<Op extends Operation> = [JsonOf<Responses<Op>[keyof Responses<Op>]>] extends [never] ? void : JsonOf<Responses<Op>[keyof Responses<Op>]>;
/** The JSON body operation `Op` takes. */
type Body<Op extends Operation> = operations[Op] extends { requestBody: { content: { 'application/json': infer T } } }
  ? T : operations[Op] extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;

/** One function per operation of the server's OpenAPI document (docs/openapi.json, docs/api.md), typed from it. */
export const api = {
  me: (key?: string) => request<Answer<'GetMe'>>('GET', '/api/me', { key }),
  health: () => request<Answer<'GetHealth'>>('GET', '/api/health'),

  descriptors: () => request<Answer<'ListActivityDescriptors'>>('GET', '/api/activity-descriptors'),
  workflows: () => request<Answer<'ListWorkflows'>>('GET', '/api/workflows'),
  workflow: (id: string, version?: number) => request<Answer<'GetWorkflow'>>('GET', `/api/workflows/${enc(id)}${qs({ version })}`),
  saveWorkflow: (def: WorkflowDefinition) => request<Answer<'SaveWorkflow'>>('PUT', `/api/workflows/${enc(def.id)}`, { body: def }),
  publish: (id: string, version?: number) =>
    request<Answer<'PublishWorkflow'>>('POST', `/api/workflows/${enc(id)}/publish`, { body: { version } satisfies Body<'PublishWorkflow'> }),
  versions: (id: string) => request<Answer<'ListWorkflowVersions'>>('GET', `/api/workflows/${enc(id)}/versions`),
  revert: (id: string, version: number) =>
    request<Answer<'RevertWorkflow'>>('POST', `/api/workflows/${enc(id)}/revert`, { body: { version } satisfies Body<'RevertWorkflow'> }),
  deleteWorkflow: (id: string) => request<Answer<'DeleteWorkflow'>>('DELETE', `/api/workflows/${enc(id)}`),
  importWorkflow: (def: unknown, publish = false) =>
    request<Answer<'ImportWorkflow'>>('POST', `/api/workflows/import${qs({ publish: publish || undefined })}`, { body: def }),
  exportWorkflow: (id: string, version?: number) => request<Answer<'ExportWorkflow'>>('GET', `/api/workflows/${enc(id)}/export${qs({ version })}`),
  run: (id: string, input: Record<string, unknown>) =>
    request<Answer<'RunWorkflow'>>('POST', `/api/workflows/${enc(id)}/run`, { body: { input } satisfies Body<'RunWorkflow'> }),

  instances: (f: { status?: InstanceStatus; definitionId?: string; skip?: number; take?: number }) =>
    request<Answer<'ListInstances'>>('GET', `/api/instances${qs(f)}`),
  instance: (id: string) => request<Answer<'GetInstance'>>('GET', `/api/instances/${enc(id)}`),
  journal: (id: string) => request<Answer<'GetInstanceJournal'>>('GET', `/api/instances/${enc(id)}/journal`),
  cancel: (id: string) => request<Answer<'CancelInstance'>>('POST', `/api/instances/${enc(id)}/cancel`),
  retry: (id: string) => request<Answer<'RetryInstance'>>('POST', `/api/instances/${enc(id)}/retry`),

  hosts: () => request<Answer<'ListHosts'>>('GET', '/api/hosts'),
  addHost: (h: Body<'AddHost'>) => request<Answer<'AddHost'>>('POST', '/api/hosts', { body: h }),
  deleteHost: (name: string) => request<Answer<'RemoveHost'>>('DELETE', `/api/hosts/${enc(name)}`),
  repositories: () => request<Answer<'ListRepositories'>>('GET', '/api/repositories'),
  addRepository: (r: Body<'AddRepository'>) => request<Answer<'AddRepository'>>('POST', '/api/repositories', { body: r }),
  deleteRepository: (name: string) => request<Answer<'RemoveRepository'>>('DELETE', `/api/repositories/${enc(name)}`),
  offerings: () => request<Answer<'ListOfferings'>>('GET', '/api/offerings'),
  addOffering: (o: Body<'CreateOffering'>) => request<Answer<'CreateOffering'>>('POST', '/api/offerings', { body: o }),
  deleteOffering: (name: string) => request<Answer<'DeleteOffering'>>('DELETE', `/api/offerings/${enc(name)}`),

  vms: (host?: string) => request<Answer<'ListVms'>>('GET', `/api/vms${qs({ host })}`),
  assign: (vm: string, offering: string, repository: string) =>
    request<Answer<'AssignVm'>>('POST', `/api/vms/${enc(vm)}/assign`, { body: { offering, repository } satisfies Body<'AssignVm'> }),
  unassign: (vm: string) => request<Answer<'UnassignVm'>>('POST', `/api/vms/${enc(vm)}/unassign`),

  backups: (vm?: string) => request<Answer<'ListBackups'>>('GET', `/api/backups${qs({ vm })}`),
  deleteBackup: (id: string) => request<Answer<'DeleteBackup'>>('DELETE', `/api/backups/${enc(id)}`),
  startBackup: (vm: string, full?: boolean, isolated?: boolean) =>
    request<Answer<'CreateBackup'>>('POST', '/api/backups', { body: { vm, full, isolated } satisfies Body<'CreateBackup'> }),
  validateBackup: (id: string) => request<Answer<'ValidateBackup'>>('POST', `/api/backups/${enc(id)}/validate`),
  screenshot: (id: string) => request<Response>('GET', `/api/backups/${enc(id)}/screenshot`, { raw: true, headers: { Accept: 'image/png' } }),
  /** A directory of a backup's file system (`volume` empty: the only or first file system). */
  backupFiles: (id: string, path: string, volume?: string) =>
    request<Answer<'ListBackupFiles'>>('GET', `/api/backups/${enc(id)}/files${qs({ volume, path, limit: 10000 })}`),
  /** A file's bytes (`content`) or a directory as tar (`archive`), fetched with the key header a plain link could not send. */
  backupFileDownload: (id: string, what: 'content' | 'archive', path: string, volume?: string) =>
    request<Response>('GET', `/api/backups/${enc(id)}/files/${what}${qs({ volume, path })}`, { raw: true, headers: { Accept: '*/*' } }),
  /** The idempotency key makes a double click start one restore, not two. */
  restore: (r: RestoreRequest, idempotencyKey: string) =>
    request<Answer<'StartRestore'>>('POST', '/api/restores', { body: r, headers: { 'Idempotency-Key': idempotencyKey } }),
  /** Files of a backup into a running VM or onto a directory of the backup's host; the key makes a double click start one run. */
  restoreFiles: (backupId: string, r: RestoreFilesRequest, idempotencyKey: string) =>
    request<Answer<'RestoreBackupFiles'>>('POST', `/api/backups/${enc(backupId)}/files/restore`,
      { body: r satisfies Body<'RestoreBackupFiles'>, headers: { 'Idempotency-Key': idempotencyKey } }),

  keys: () => request<Answer<'ListKeys'>>('GET', '/api/keys'),
  createKey: (name: string, role: string) =>
    request<Answer<'CreateKey'>>('POST', '/api/keys', { body: { name, role } satisfies Body<'CreateKey'> }),
  deleteKey: (name: string) => request<Answer<'RevokeKey'>>('DELETE', `/api/keys/${enc(name)}`),
  settings: () => request<Answer<'ListSettings'>>('GET', '/api/settings'),
  setSetting: (name: string, value: string) =>
    request<Answer<'SetSetting'>>('PUT', `/api/settings/${enc(name)}`, { body: { value } satisfies Body<'SetSetting'> }),

  snapshots: (vm: string) => request<Answer<'ListSnapshots'>>('GET', `/api/snapshots${qs({ vm })}`),
  takeSnapshot: (vm: string) => request<Answer<'CreateSnapshot'>>('POST', '/api/snapshots', { body: { vm } satisfies Body<'CreateSnapshot'> }),
  revertSnapshot: (id: string) => request<Answer<'RevertSnapshot'>>('POST', `/api/snapshots/${enc(id)}/revert`),
  deleteSnapshot: (id: string) => request<Answer<'DeleteSnapshot'>>('DELETE', `/api/snapshots/${enc(id)}`),

  cronPreview: (cron: string, timeZone: string, count: number) =>
    request<Answer<'PreviewCron'>>('GET', `/api/triggers/cron-preview${qs({ cron, timeZone, count })}`),

  jobs: () => request<Answer<'ListJobs'>>('GET', '/api/jobs'),
  schedules: () => request<Answer<'ListSchedules'>>('GET', '/api/schedules'),
  addSchedule: (s: Body<'CreateSchedule'>) => request<Answer<'CreateSchedule'>>('POST', '/api/schedules', { body: s }),
  deleteSchedule: (id: string) => request<Answer<'DeleteSchedule'>>('DELETE', `/api/schedules/${enc(id)}`),
};
