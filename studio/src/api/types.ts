// The API's shapes, named as the studio uses them. Every body the server sends or takes is generated from its
// OpenAPI document into schema.ts (deploy/openapi.sh; do not edit schema.ts); this file only names them. Narrower
// unions below spell out values the server sends as plain strings, each checked against the generated type.
import type { components } from './schema';

type Schemas = components['schemas'];

/** Values of `role` (GET /api/me, keys). */
export type Role = 'viewer' | 'operator' | 'admin';
export type Me = Schemas['IdentityResponse'];

export type InputDescriptor = Schemas['ActivityInputDto'];
export type OutputDescriptor = Schemas['ActivityOutputDto'];
export type ActivityDescriptor = Schemas['ActivityDescriptorDto'];

export type WorkflowSummary = Schemas['WorkflowDefinitionSummary'];
export type WorkflowInput = Schemas['WorkflowInputDefinition'];
export type WorkflowVariable = Schemas['VariableDefinition'];
export type RetryPolicy = Schemas['RetryOverride'];
export type ActivityDefinition = Schemas['ActivityNode'];
export type Connection = Schemas['Connection'];
export type WorkflowLock = Schemas['LockDeclaration'];
export type WorkflowDefinition = Schemas['WorkflowDefinition'];
export type WorkflowVersion = Schemas['WorkflowVersionDto'];

export type InstanceStatus = Schemas['WorkflowStatus'];
/** Every instance status, in the order the runs page offers them. */
export const instanceStatuses = ['Running', 'Waiting', 'Suspended', 'Finished', 'Faulted', 'Cancelled'] as const satisfies readonly InstanceStatus[];
export type InstanceSummary = Schemas['InstanceSummaryDto'];
/** Values of an activity's `status` in an instance. `suspended`: a durable timer until `resumeAt`; `cancelled`: stopped
 * by the run's end; `skipped`: never reached by a finished or cancelled run. */
export type ActivityState = 'pending' | 'running' | 'suspended' | 'done' | 'failed' | 'retrying' | 'cancelled' | 'skipped';
export type Progress = Schemas['ProgressDto'];
export type ActivityRunState = Schemas['ActivityStateDto'];
export type Incident = Schemas['IncidentDto'];
export type InstanceDetail = Schemas['InstanceDto'];
export type JournalEntry = Schemas['JournalEntryDto'];
/** One server-sent event of GET /api/events; `kind` is instance, activity or progress. */
export type RunEvent = Schemas['EventDto'];

export type Host = Schemas['HostDto'];
export type AddHostRequest = Schemas['AddHostRequest'];
export type Repository = Schemas['RepositoryDto'];
export type Offering = Schemas['OfferingDto'];
export type CreateOfferingRequest = Schemas['CreateOfferingRequest'];
/** require: fail without the guest agent; prefer: crash-consistent without it; skip: never freeze. */
export type QuiescePolicy = 'require' | 'prefer' | 'skip';
/** delta: an overlay on primary per backup, merged after; bitmap: libvirt checkpoints (QEMU tracks changed blocks). */
export type BackupStrategy = 'delta' | 'bitmap';
export type Vm = Schemas['VmInfo'];
export type BackupState = Schemas['BackupState'];
export type Backup = Schemas['BackupDto'];
/** `toVm` overwrites another existing VM; `asNewVm` names a VM to create from the backup. */
export type RestoreRequest = Schemas['RestoreRequest'];
export type RestoreFilesRequest = Schemas['RestoreFilesRequest'];
export type Schedule = Schemas['ScheduleDto'];
/** A compression or validation job (GET /api/jobs): a workflow instance the engine queues, limits and retries. */
export type Job = Schemas['JobDto'];
export type ApiKeyInfo = Schemas['ApiKeyDto'];
export type CreatedKey = Schemas['CreatedKeyDto'];
/** A setting of the one catalog; `allowed` says its values in words (e.g. "a whole number from 1 to 16"). */
export type Setting = Schemas['SettingDto'];

/** RFC 7807 body of every refusal (the document describes successes only); `problems` carries workflow validation problems. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  problems?: { activityId?: string | null; path?: string | null; message: string }[];
}
