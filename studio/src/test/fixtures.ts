import type { ActivityDescriptor, WorkflowDefinition } from '../api/types';

export const descriptors: ActivityDescriptor[] = [
  {
    type: 'Backup.CreateSnapshot', version: 1, category: 'Backup', displayName: 'Create snapshot', description: 'Disk-only snapshot',
    inputs: [
      { name: 'vm', type: 'string', required: true, sensitive: false },
      { name: 'quiesce', type: 'bool', required: false, sensitive: false, default: true },
    ],
    outputs: [{ name: 'snapshotPath', type: 'string' }, { name: 'disks', type: 'string[]' }],
    outcomes: ['Done', 'Failed'], dynamicOutcomes: false, isTrigger: false,
  },
  {
    type: 'Backup.CopyToStaging', version: 1, category: 'Backup', displayName: 'Copy to staging',
    inputs: [
      { name: 'source', type: 'string', required: true, sensitive: false },
      { name: 'bandwidth', type: 'int', required: false, sensitive: false },
      { name: 'password', type: 'string', required: false, sensitive: true },
    ],
    outputs: [{ name: 'stagedPath', type: 'string' }],
    outcomes: ['Done'], dynamicOutcomes: false, isTrigger: false,
  },
  {
    type: 'Flow.Notify', version: 1, category: 'Flow', displayName: 'Notify', description: 'Send a message',
    inputs: [{ name: 'message', type: 'string', required: true, sensitive: false }, { name: 'options', type: 'json', required: false, sensitive: false }],
    outputs: [],
    outcomes: ['Done'], dynamicOutcomes: false, isTrigger: false,
  },
];

export function definition(): WorkflowDefinition {
  return {
    id: 'backup-vm', name: 'Back up a VM', description: 'test', version: 3, isPublished: false,
    inputs: [{ name: 'vm', type: 'string', required: true }],
    variables: [{ name: 'attempts', type: 'int', default: 0 }],
    activities: [
      { id: 'snapshot', type: 'Backup.CreateSnapshot', version: 1, displayName: 'Snapshot', inputs: { vm: '{{ input.vm }}' }, position: { x: 0, y: 0 } },
      { id: 'copy', type: 'Backup.CopyToStaging', version: 1, inputs: { source: '{{ steps.snapshot.snapshotPath }}', bandwidth: 100 }, retry: { maxAttempts: 3, baseDelaySeconds: 1, maxDelaySeconds: 10, jitter: true }, timeoutSeconds: 600, position: { x: 0, y: 150 } },
      { id: 'notify', type: 'Flow.Notify', version: 1, inputs: { message: 'failed {{ input.vm }}' }, position: { x: 300, y: 150 } },
    ],
    connections: [
      { source: 'snapshot', outcome: 'Done', target: 'copy' },
      { source: 'snapshot', outcome: 'Failed', target: 'notify' },
    ],
    locks: [{ name: 'vm', limit: 1 }],
  };
}
