// A stand-in for the server while developing the studio without it: `npm run mock` listens on
// 127.0.0.1:5099 with made-up data; run `BWF_API=http://127.0.0.1:5099 npm run dev` next to it.
// Keys: admin-key, operator-key, viewer-key. Not used by tests; the real contract is docs/api.md.
import { createServer } from 'node:http';

const port = Number(process.env.MOCK_PORT ?? 5099);
const roles = { 'admin-key': 'admin', 'operator-key': 'operator', 'viewer-key': 'viewer' };
const day = 86400000;
const t0 = Date.UTC(2026, 10, 1, 2, 0);
const iso = (ms) => new Date(ms).toISOString();

const input = (name, type, required = false, extra = {}) => ({ name, type, required, sensitive: false, description: null, default: null, uiHint: null, ...extra });
const descriptors = [
  { type: 'Backup.Quiesce', version: 1, category: 'Backup', displayName: 'Quiesce guest', description: 'Freeze guest file systems', inputs: [input('vm', 'string', true), input('timeoutSeconds', 'int', false, { default: 30 })], outputs: [{ name: 'frozen', type: 'bool' }], outcomes: ['Done', 'Unavailable'] },
  { type: 'Backup.CreateSnapshot', version: 1, category: 'Backup', displayName: 'Create disk snapshot', description: 'Disk-only external snapshot', inputs: [input('vm', 'string', true), input('disks', 'string[]')], outputs: [{ name: 'overlays', type: 'string[]' }, { name: 'backingFiles', type: 'string[]' }], outcomes: ['Done', 'Failed'] },
  { type: 'Backup.CopyToStaging', version: 1, category: 'Backup', displayName: 'Copy to staging', description: 'Copy backing files to the staging area', inputs: [input('vm', 'string', true), input('files', 'string[]', true), input('bandwidthMiB', 'int')], outputs: [{ name: 'stagedFiles', type: 'string[]' }, { name: 'bytes', type: 'long' }], outcomes: ['Done'] },
  { type: 'Backup.Compress', version: 1, category: 'Storage', displayName: 'Compress', inputs: [input('files', 'string[]', true), input('library', 'string', false, { default: 'zstd' })], outputs: [{ name: 'compressedFiles', type: 'string[]' }], outcomes: ['Done'] },
  { type: 'Backup.MoveToRepository', version: 1, category: 'Storage', displayName: 'Move to repository', inputs: [input('files', 'string[]', true), input('repository', 'string', true)], outputs: [{ name: 'backupId', type: 'string' }], outcomes: ['Done'] },
  { type: 'Backup.Validate', version: 1, category: 'Validation', displayName: 'Boot test', description: 'Boot the backup and take a screenshot', inputs: [input('backupId', 'string', true), input('options', 'json')], outputs: [{ name: 'result', type: 'string' }], outcomes: ['Valid', 'Invalid'] },
  { type: 'Flow.Notify', version: 1, category: 'Flow', displayName: 'Notify', inputs: [input('message', 'string', true), input('webhookToken', 'string', false, { sensitive: true })], outputs: [], outcomes: ['Done'] },
];
const act = (id, type, x, y, inputs) => ({ id, type, version: 1, displayName: null, inputs, position: { x, y } });
const def = {
  id: 'backup-vm', name: 'Back up a VM', description: 'Quiesce, snapshot, stage, compress, store, validate', version: 4, isPublished: true,
  inputs: [{ name: 'vm', type: 'string', required: true, description: 'VM name' }, { name: 'repository', type: 'string', required: true }],
  variables: [{ name: 'attempt', type: 'int', default: 0 }],
  activities: [
    act('quiesce', 'Backup.Quiesce', 150, 0, { vm: '{{ input.vm }}' }),
    act('snapshot', 'Backup.CreateSnapshot', 150, 150, { vm: '{{ input.vm }}' }),
    act('stage', 'Backup.CopyToStaging', 0, 300, { vm: '{{ input.vm }}', files: '{{ steps.snapshot.backingFiles }}', bandwidthMiB: 200 }),
    act('compress', 'Backup.Compress', 0, 450, { files: '{{ steps.stage.stagedFiles }}' }),
    act('store', 'Backup.MoveToRepository', 0, 600, { files: '{{ steps.compress.compressedFiles }}', repository: '{{ input.repository }}' }),
    act('validate', 'Backup.Validate', 0, 750, { backupId: '{{ steps.store.backupId }}' }),
    act('notify', 'Flow.Notify', 320, 300, { message: 'snapshot of {{ input.vm }} failed', webhookToken: '{{ steps.stage.bytes }}' }),
  ],
  connections: [
    { source: 'quiesce', outcome: 'Done', target: 'snapshot' }, { source: 'quiesce', outcome: 'Unavailable', target: 'snapshot' },
    { source: 'snapshot', outcome: 'Done', target: 'stage' }, { source: 'snapshot', outcome: 'Failed', target: 'notify' },
    { source: 'stage', outcome: 'Done', target: 'compress' }, { source: 'compress', outcome: 'Done', target: 'store' },
    { source: 'store', outcome: 'Done', target: 'validate' },
  ],
  locks: [{ name: 'vm:{{ input.vm }}', limit: 1 }],
};
const workflows = [
  { id: 'backup-vm', name: def.name, description: def.description, latestVersion: 4, publishedVersion: 4, updatedAt: iso(t0) },
  { id: 'restore-vm', name: 'Restore a VM', description: 'Restore from a backup chain', latestVersion: 2, publishedVersion: 1, updatedAt: iso(t0 - day) },
];
const statuses = ['Running', 'Finished', 'Faulted', 'Finished', 'Cancelled', 'Finished'];
const instances = statuses.map((status, i) => ({ id: `inst-${1000 + i}-7f3a9c`, definitionId: 'backup-vm', definitionVersion: 4, status, createdAt: iso(t0 - i * 3600000), updatedAt: iso(t0), finishedAt: status === 'Running' ? null : iso(t0 - i * 3600000 + 900000), correlationId: `web${i % 3 + 1}` }));
let progress = 30;
const detail = (id) => ({
  id, definitionId: 'backup-vm', definitionVersion: 4, status: id.startsWith('inst-1002') ? 'Faulted' : 'Running', input: { vm: 'web1', repository: 'main' }, variables: { attempt: 1 },
  activities: { quiesce: { status: 'done', attempt: 1, outcome: 'Done' }, snapshot: { status: 'done', attempt: 1, outcome: 'Done' }, stage: { status: id.startsWith('inst-1002') ? 'failed' : 'running', attempt: 2, progress: { done: progress, total: 100, message: `${progress} of 100 GiB copied`, updatedAt: iso(Date.now()) } } },
  incidents: id.startsWith('inst-1002') ? [{ activityId: 'stage', message: 'rsync exited with code 23 after 3 attempts', at: iso(t0) }] : [],
});
const journal = [
  { sequence: 1, activityId: 'quiesce', activityType: 'Backup.Quiesce', attempt: 1, isResume: false, startedAt: iso(t0), endedAt: iso(t0 + 2000), inputs: { vm: 'web1' }, outputs: { frozen: true }, outcome: 'Done', error: null, messages: ['guest-fsfreeze-freeze: 2 file systems'] },
  { sequence: 2, activityId: 'snapshot', activityType: 'Backup.CreateSnapshot', attempt: 1, isResume: false, startedAt: iso(t0 + 2000), endedAt: iso(t0 + 5000), inputs: { vm: 'web1' }, outputs: { overlays: ['/var/lib/libvirt/images/web1.snap1'], backingFiles: ['/var/lib/libvirt/images/web1.qcow2'] }, outcome: 'Done', error: null, messages: [] },
  { sequence: 3, activityId: 'stage', activityType: 'Backup.CopyToStaging', attempt: 1, isResume: false, startedAt: iso(t0 + 5000), endedAt: iso(t0 + 65000), inputs: { vm: 'web1', files: ['/var/lib/libvirt/images/web1.qcow2'] }, outputs: {}, outcome: null, error: 'connection reset by peer', messages: [] },
];
const hosts = [
  { name: 'kvm1', uri: 'qemu+ssh://root@kvm1/system', stagingDir: '/var/lib/bwf/staging', maxConcurrentBackups: 2, stagingCapacityBytes: 500 * 2 ** 30, stagingUsedBytes: 410 * 2 ** 30 },
  { name: 'local', uri: 'qemu:///system', stagingDir: '/srv/staging', maxConcurrentBackups: 1, stagingCapacityBytes: null, stagingUsedBytes: 12 * 2 ** 30 },
];
const repositories = [{ name: 'main', path: '/srv/backups', capacityBytes: 4 * 2 ** 40, usedBytes: 1.3 * 2 ** 40 }, { name: 'offsite', path: '/mnt/offsite', capacityBytes: 2 * 2 ** 40, usedBytes: 1.9 * 2 ** 40 }];
const offerings = [{ name: 'gold', chainSize: 7, compress: true, compressionLibrary: 'zstd', validate: true, allowQuickRestore: true, allowFileExtraction: true }];
const vms = ['web1', 'db1', 'mail'].map((name, i) => ({ name, uuid: `0000-${i}`, host: 'kvm1', state: i === 2 ? 'shut off' : 'running', offering: i < 2 ? 'gold' : null, repository: 'main', disks: [{ target: 'vda', file: `/var/lib/libvirt/images/${name}.qcow2`, format: 'qcow2' }] }));
const backups = [];
for (let c = 0; c < 2; c++) {
  let parent = null;
  for (let k = 0; k < (c === 0 ? 7 : 3); k++) {
    const id = `bk-${c}${k}-a1b2c3`;
    const at = t0 - (10 - c * 7 - k) * day;
    const full = k === 0;
    backups.push({ id, vm: 'web1', type: full ? 'full' : 'incremental', parentId: parent, chainId: `bk-${c}0-a1b2c3`, state: c === 1 && k === 2 ? 'Error' : 'BackedUp', createdAt: iso(at), completedAt: iso(at + (full ? 1800 : 300 + k * 40) * 1000), virtualSize: 80 * 2 ** 30, storedSize: (full ? 21 : 1.2 + k * 0.3) * 2 ** 30, quiesced: true, compressed: full, validation: k % 3 === 0 ? { result: k === 3 ? 'UnableToValidate' : 'Valid', at: iso(at + 3600000), screenshotUrl: `/api/backups/${id}/screenshot` } : null, volumes: [] });
    parent = id;
  }
}
const schedules = [{ id: 's1', vm: null, offering: 'gold', cron: '0 0 2 * * ?', timeZone: 'Europe/Paris', keep: 14, nextFireAt: iso(t0 + day) }];
// A 4x3 PNG: a boot screen stand-in.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAHklEQVR4nGNkYPjPwMDAxMDAwMDAyMDAwMjIwMAAAA0ZAQXt1mUMAAAAAElFTkSuQmCC', 'base64');

const routes = [
  ['GET', /^\/api\/me$/, (_, role) => ({ name: role, role })],
  ['GET', /^\/api\/activity-descriptors$/, () => descriptors],
  ['GET', /^\/api\/workflows$/, () => workflows],
  ['GET', /^\/api\/workflows\/([^/]+)$/, (m) => (m[1] === 'backup-vm' ? def : { ...def, id: m[1], name: m[1], activities: [], connections: [] })],
  ['GET', /^\/api\/workflows\/[^/]+\/versions$/, () => [4, 3, 2, 1].map((v) => ({ version: v, isPublished: v === 4, createdAt: iso(t0 - (4 - v) * day) }))],
  ['PUT', /^\/api\/workflows\/([^/]+)$/, (_, __, body) => ({ ...body, version: body.version + 1, isPublished: false })],
  ['POST', /^\/api\/workflows\/[^/]+\/publish$/, (_, __, body) => ({ ...def, version: body.version ?? def.version, isPublished: true })],
  ['POST', /^\/api\/workflows\/[^/]+\/run$/, () => ({ instanceId: instances[0].id })],
  ['GET', /^\/api\/instances$/, (_, __, ___, q) => instances.filter((i) => !q.get('status') || i.status === q.get('status'))],
  ['GET', /^\/api\/instances\/([^/]+)$/, (m) => detail(m[1])],
  ['GET', /^\/api\/instances\/[^/]+\/journal$/, () => journal],
  ['GET', /^\/api\/hosts$/, () => hosts], ['GET', /^\/api\/repositories$/, () => repositories], ['GET', /^\/api\/offerings$/, () => offerings],
  ['GET', /^\/api\/vms$/, () => vms],
  ['GET', /^\/api\/backups$/, (_, __, ___, q) => backups.filter((b) => !q.get('vm') || b.vm === q.get('vm'))],
  ['POST', /^\/api\/restores$/, () => ({ instanceId: instances[0].id })],
  ['POST', /^\/api\/backups$/, () => ({ instanceId: instances[0].id })],
  ['GET', /^\/api\/schedules$/, () => schedules],
];

const tickets = new Set();
createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  // Like the server: the key only in the header; the event stream also opens with a ticket cookie.
  const ticket = url.pathname === '/api/events' && /(?:^|; )bwf_events_ticket=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const role = roles[req.headers['x-api-key']] ?? (ticket && tickets.delete(ticket) ? 'viewer' : undefined);
  const send = (status, body, type = 'application/json') => { res.writeHead(status, { 'Content-Type': type }); res.end(type === 'application/json' ? JSON.stringify(body) : body); };
  if (url.pathname === '/api/health') return send(200, { status: 'ok' });
  if (!role) return send(401, { title: 'Unauthorized', status: 401, detail: 'Unknown API key.' });
  if (req.method !== 'GET' && role === 'viewer') return send(403, { title: 'Forbidden', status: 403, detail: 'viewer keys are read-only' });
  if (url.pathname === '/api/events/tickets' && req.method === 'POST') {
    const t = `mock-${Math.random().toString(36).slice(2)}`;
    tickets.add(t);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': `bwf_events_ticket=${t}; Max-Age=60; Path=/api/events; SameSite=Strict; HttpOnly` });
    return res.end(JSON.stringify({ expiresAt: iso(Date.now() + 60_000) }));
  }
  if (url.pathname === '/api/events') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    const id = url.searchParams.get('instanceId');
    const t = setInterval(() => {
      progress = progress >= 100 ? 0 : progress + 5;
      res.write(`data: ${JSON.stringify({ kind: 'progress', instanceId: id, activityId: 'stage', progress: { done: progress, total: 100, message: `${progress} of 100 GiB copied` }, at: iso(Date.now()) })}\n\n`);
    }, 1000);
    return req.on('close', () => clearInterval(t));
  }
  if (/^\/api\/backups\/[^/]+\/screenshot$/.test(url.pathname)) return send(200, png, 'image/png');
  let body = '';
  for await (const chunk of req) body += chunk;
  for (const [method, re, handler] of routes) {
    const m = url.pathname.match(re);
    if (m && method === req.method) return send(200, handler(m, role, body ? JSON.parse(body) : {}, url.searchParams));
  }
  send(404, { title: 'Not found', status: 404, detail: `${req.method} ${url.pathname}` });
}).listen(port, '127.0.0.1', () => console.log(`mock API on http://127.0.0.1:${port}`));
