// Shapes of docs/api.md (camelCase JSON). Kept in one file so the contract is read in one place.

export type Role = 'viewer' | 'operator' | 'admin';
export interface Me { name: string; role: Role }

export interface InputDescriptor {
  name: string;
  type: string; // string, int, long, bool, double, string[], object, json
  uiHint?: string | null;
  description?: string | null;
  required: boolean;
  sensitive: boolean;
  default?: unknown;
}
export interface OutputDescriptor { name: string; type: string; description?: string | null }
export interface ActivityDescriptor {
  type: string;
  version: number;
  category: string;
  displayName: string;
  description?: string | null;
  inputs: InputDescriptor[];
  outputs: OutputDescriptor[];
  outcomes: string[];
  /** Outcomes also come from the activity's list inputs (Switch cases, Fork branches). */
  dynamicOutcomes?: boolean;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description?: string | null;
  latestVersion: number;
  publishedVersion: number | null;
  updatedAt: string;
}
export interface WorkflowInput { name: string; type: string; required: boolean; description?: string | null; default?: unknown }
export interface WorkflowVariable { name: string; type: string; default?: unknown }
export interface RetryPolicy { maxAttempts: number; baseDelaySeconds: number; maxDelaySeconds: number; jitter: boolean }
export interface ActivityDefinition {
  id: string;
  type: string;
  version: number;
  displayName?: string | null;
  /** Each value is a JSON literal or a string holding a `{{ binding }}`. */
  inputs: Record<string, unknown>;
  retry?: RetryPolicy | null;
  timeoutSeconds?: number | null;
  position: { x: number; y: number };
}
export interface Connection { source: string; outcome: string; target: string }
export interface WorkflowLock { name: string; limit: number }
export interface WorkflowDefinition {
  id: string;
  name: string;
  description?: string | null;
  version: number;
  isPublished: boolean;
  inputs: WorkflowInput[];
  variables: WorkflowVariable[];
  activities: ActivityDefinition[];
  connections: Connection[];
  locks: WorkflowLock[];
}
export interface WorkflowVersion { version: number; isPublished: boolean; createdAt: string }

export const instanceStatuses = ['Running', 'Waiting', 'Suspended', 'Finished', 'Faulted', 'Cancelled'] as const;
export type InstanceStatus = (typeof instanceStatuses)[number];
export interface InstanceSummary {
  id: string;
  definitionId: string;
  definitionVersion: number;
  status: InstanceStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string | null;
  correlationId?: string | null;
}
export type ActivityState = 'pending' | 'running' | 'done' | 'failed' | 'retrying';
export interface Progress { done: number; total: number; message?: string | null; updatedAt?: string }
export interface ActivityRunState { status: ActivityState; attempt: number; progress?: Progress | null; outcome?: string | null }
export interface Incident { activityId: string; message: string; at: string; attempts?: number; handled?: boolean }
export interface InstanceDetail {
  id: string;
  definitionId: string;
  definitionVersion: number;
  status: InstanceStatus;
  input: Record<string, unknown>;
  variables: Record<string, unknown>;
  activities: Record<string, ActivityRunState>;
  incidents: Incident[];
  output?: unknown;
  fault?: string | null;
  waitingFor?: string | null;
  createdAt?: string;
  finishedAt?: string | null;
}
export interface JournalEntry {
  sequence: number;
  activityId: string;
  activityType: string;
  attempt: number;
  isResume: boolean;
  startedAt: string;
  endedAt?: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  outcome?: string | null;
  error?: string | null;
  messages: string[];
}
export interface RunEvent {
  kind: 'instance' | 'activity' | 'progress';
  instanceId: string;
  activityId?: string;
  status?: string;
  progress?: Progress;
  at: string;
}

export interface Host {
  name: string;
  uri: string;
  identityFile?: string | null;
  knownHostsFile?: string | null;
  /** The pinned host key fingerprint (SHA256:...) of an ssh:// host; when adding, the one to pin. */
  hostKey?: string | null;
  /** File on the orchestrator holding the identity's passphrase. */
  identityPassphraseFile?: string | null;
  stagingDir: string;
  maxConcurrentBackups: number;
  /** -1 = no limit of its own (the global per-host setting still caps it). */
  maxConcurrentCompressions: number;
  stagingCapacityBytes?: number | null;
  stagingUsedBytes?: number | null;
}
export interface Repository { name: string; path: string; capacityBytes: number; usedBytes: number }
export interface Offering {
  name: string;
  chainSize: number;
  compress: boolean;
  compressionLibrary?: string | null;
  validate: boolean;
  allowQuickRestore: boolean;
  allowFileExtraction: boolean;
  /** require: fail without the guest agent; prefer: crash-consistent without it; skip: never freeze. */
  quiesce: QuiescePolicy;
}
export type QuiescePolicy = 'require' | 'prefer' | 'skip';
export interface Vm {
  name: string;
  uuid: string;
  host: string;
  state: string;
  offering?: string | null;
  repository?: string | null;
  disks: { target: string; file: string; format: string }[];
}
export type BackupState = 'Creating' | 'BackedUp' | 'Error' | 'Removed' | 'Expunged';
export interface Backup {
  id: string;
  vm: string;
  type: 'full' | 'incremental' | 'isolated';
  parentId?: string | null;
  chainId?: string | null;
  state: BackupState;
  createdAt: string;
  completedAt?: string | null;
  virtualSize: number;
  storedSize: number;
  quiesced: boolean;
  compressed: boolean;
  host?: string | null;
  repository?: string | null;
  error?: string | null;
  validation?: { result: 'Valid' | 'Invalid' | 'UnableToValidate'; at: string; screenshotUrl?: string | null } | null;
  volumes: { target: string; path: string; virtualSize: number; storedSize: number; checksum: string | null }[];
}
/** `toVm` overwrites another existing VM; `asNewVm` names a VM to create from the backup. */
export interface RestoreRequest { backupId: string; quick?: boolean; host?: string; volume?: string; toVm?: string; asNewVm?: string }
export interface Schedule { id: string; vm?: string | null; offering?: string | null; cron: string; quartzCron?: string; timeZone: string; keep?: number | null; nextFireAt?: string | null }

/** A compression or validation job (GET /api/jobs): a workflow instance the engine queues, limits and retries. */
export interface Job {
  id: string; type: 'compression' | 'validation'; definitionId: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  /** Why a queued job waits (host limit, disabled, retry at T ...), or "failed after N attempt(s): cause". */
  reason?: string | null;
  attempts: number; retryAt?: string | null;
  progress?: { done: number; total: number; message?: string | null } | null;
  backupId?: string | null; host?: string | null; levels?: string | null;
  createdAt: string; updatedAt: string; finishedAt?: string | null; error?: string | null;
}

export interface ApiKeyInfo { name: string; role: Role; createdAt?: string }
export interface CreatedKey { name: string; role: Role; key: string }
/** A setting of the one catalog; `allowed` says its values in words (e.g. "a whole number from 1 to 16"). */
export interface Setting { name: string; value: string; default?: string; kind?: 'boolean' | 'integer' | 'number' | 'duration' | 'choice'; allowed?: string; description?: string }

/** RFC 7807 body; `problems` carries workflow validation problems. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  problems?: { activityId?: string | null; path?: string | null; message: string }[];
}
