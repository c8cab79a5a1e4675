import { useState } from 'react';
import { api } from '../api/endpoints';
import { UsageBar } from '../components/Badges';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { SimpleForm } from '../components/SimpleForm';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import type { AddHostRequest, CreateOfferingRequest } from '../api/types';

/** Hosts with staging usage, repositories with capacity, offerings; admins add and remove them. */
export function InfrastructurePage() {
  const { canAdmin } = useSession();
  const hosts = useLoad(api.hosts, []);
  const repos = useLoad(api.repositories, []);
  const offerings = useLoad(api.offerings, []);
  const [error, setError] = useState<unknown>();
  const remove = async (what: string, call: () => Promise<void>, reload: () => void) => {
    if (!confirm(`Remove ${what}?`)) return;
    setError(undefined);
    try { await call(); reload(); } catch (e) { setError(e); }
  };

  return (
    <div className="page" data-testid="infrastructure-page">
      <h1>Infrastructure</h1>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      <section className="card section">
        <h2>Hosts</h2>
        <ErrorBanner error={hosts.error} onRetry={hosts.reload} />
        {hosts.loading && !hosts.data && <Loading what="hosts" />}
        {hosts.data?.length === 0 && <Empty>No hosts configured.</Empty>}
        {!!hosts.data?.length && (
          <table className="table">
            <thead><tr><th>Name</th><th>URI</th><th>Host key</th><th>Staging</th><th>Staging usage</th><th>Max backups</th><th>Max compressions</th><th /></tr></thead>
            <tbody>{hosts.data.map((h) => (
              <tr key={h.name} data-testid={`host-${h.name}`}>
                <td><strong>{h.name}</strong></td><td><code>{h.uri}</code></td>
                <td data-testid={`host-key-${h.name}`}>{h.hostKey ? <code>{h.hostKey}</code> : ''}</td><td><code>{h.stagingDir}</code></td>
                <td><UsageBar used={h.stagingUsedBytes} capacity={h.stagingCapacityBytes} testId={`host-usage-${h.name}`} /></td>
                <td>{h.maxConcurrentBackups}</td>
                <td>{h.maxConcurrentCompressions < 0 ? 'no limit of its own' : h.maxConcurrentCompressions}</td>
                <td className="actions">{canAdmin && <button className="btn btn-small btn-danger" data-testid={`host-delete-${h.name}`} onClick={() => void remove(`host ${h.name}`, () => api.deleteHost(h.name), hosts.reload)}>Remove</button>}</td>
              </tr>))}
            </tbody>
          </table>
        )}
        {canAdmin && (
          <details><summary>Add a host</summary>
            <SimpleForm testId="host-form" submitLabel="Add host" onSubmit={async (v) => { await api.addHost(v as unknown as AddHostRequest); hosts.reload(); }} fields={[
              { name: 'name', label: 'Name', required: true }, { name: 'uri', label: 'URI', required: true, placeholder: 'local, ssh://root@kvm1:22 or openssh://root@kvm1' },
              { name: 'stagingDir', label: 'Staging dir', required: true, placeholder: '/var/lib/bwf/staging' },
              { name: 'maxConcurrentBackups', label: 'Max concurrent backups', kind: 'number', initial: '2' },
              { name: 'maxConcurrentCompressions', label: 'Max concurrent compressions (-1 = no limit of its own)', kind: 'number', initial: '5' },
              { name: 'stagingCapacityBytes', label: 'Staging capacity (GiB)', kind: 'gib' },
              { name: 'identityFile', label: 'SSH identity file' },
              { name: 'identityPassphraseFile', label: 'Passphrase file of the identity (if it has one)' },
              { name: 'hostKey', label: 'Host key fingerprint (ssh://: pins the key; leave empty to be shown it)', placeholder: 'SHA256:...' },
              { name: 'knownHostsFile', label: 'Known hosts file' },
            ]} />
          </details>
        )}
      </section>
      <section className="card section">
        <h2>Repositories</h2>
        <ErrorBanner error={repos.error} onRetry={repos.reload} />
        {repos.data?.length === 0 && <Empty>No repositories configured.</Empty>}
        {!!repos.data?.length && (
          <table className="table">
            <thead><tr><th>Name</th><th>Path</th><th>Capacity</th><th /></tr></thead>
            <tbody>{repos.data.map((r) => (
              <tr key={r.name} data-testid={`repo-${r.name}`}>
                <td><strong>{r.name}</strong></td><td><code>{r.path}</code></td>
                <td><UsageBar used={r.usedBytes} capacity={r.capacityBytes} testId={`repo-usage-${r.name}`} /></td>
                <td className="actions">{canAdmin && <button className="btn btn-small btn-danger" data-testid={`repo-delete-${r.name}`} onClick={() => void remove(`repository ${r.name}`, () => api.deleteRepository(r.name), repos.reload)}>Remove</button>}</td>
              </tr>))}
            </tbody>
          </table>
        )}
        {canAdmin && (
          <details><summary>Add a repository</summary>
            <SimpleForm testId="repo-form" submitLabel="Add repository" onSubmit={async (v) => { await api.addRepository(v); repos.reload(); }} fields={[
              { name: 'name', label: 'Name', required: true }, { name: 'path', label: 'Path', required: true, placeholder: '/srv/backups' },
              { name: 'capacityBytes', label: 'Capacity (GiB)', kind: 'gib', required: true },
            ]} />
          </details>
        )}
      </section>
      <section className="card section">
        <h2>Offerings</h2>
        <ErrorBanner error={offerings.error} onRetry={offerings.reload} />
        {offerings.data?.length === 0 && <Empty>No offerings configured.</Empty>}
        {!!offerings.data?.length && (
          <table className="table">
            <thead><tr><th>Name</th><th>Chain size</th><th>Compression</th><th>Validate</th><th>Quiesce</th><th>Strategy</th><th>Quick restore</th><th>File extraction</th><th>Workflows</th><th /></tr></thead>
            <tbody>{offerings.data.map((o) => (
              <tr key={o.name} data-testid={`offering-${o.name}`}>
                <td><strong>{o.name}</strong></td><td>{o.chainSize}</td><td>{o.compress ? o.compressionLibrary ?? 'yes' : 'no'}</td>
                <td>{o.validate ? 'yes' : 'no'}</td><td>{o.quiesce}</td><td>{o.strategy}</td><td>{o.allowQuickRestore ? 'yes' : 'no'}</td><td>{o.allowFileExtraction ? 'yes' : 'no'}</td>
                <td className="small" data-testid={`offering-workflows-${o.name}`}>{o.backupWorkflow} / {o.restoreWorkflow} / {o.quickRestoreWorkflow}</td>
                <td className="actions">{canAdmin && <button className="btn btn-small btn-danger" data-testid={`offering-delete-${o.name}`} onClick={() => void remove(`offering ${o.name}`, () => api.deleteOffering(o.name), offerings.reload)}>Remove</button>}</td>
              </tr>))}
            </tbody>
          </table>
        )}
        {canAdmin && (
          <details><summary>Add an offering</summary>
            <SimpleForm testId="offering-form" submitLabel="Add offering" onSubmit={async (v) => { await api.addOffering(v as unknown as CreateOfferingRequest); offerings.reload(); }} fields={[
              { name: 'name', label: 'Name', required: true }, { name: 'chainSize', label: 'Chain size', kind: 'number', initial: '7' },
              { name: 'compress', label: 'Compress', kind: 'bool' }, { name: 'compressionLibrary', label: 'Compression library', placeholder: 'zstd' },
              { name: 'validate', label: 'Validate (boot test)', kind: 'bool' }, { name: 'allowQuickRestore', label: 'Allow quick restore', kind: 'bool' },
              { name: 'allowFileExtraction', label: 'Allow file extraction', kind: 'bool' },
              { name: 'quiesce', label: 'Quiesce (guest agent freeze)', kind: 'select', options: ['prefer', 'require', 'skip'] },
              { name: 'strategy', label: 'Change tracking (delta on primary, or libvirt bitmaps)', kind: 'select', options: ['delta', 'bitmap'] },
              { name: 'backupWorkflow', label: 'Backup workflow', placeholder: 'backup' },
              { name: 'restoreWorkflow', label: 'Restore workflow', placeholder: 'restore' },
              { name: 'quickRestoreWorkflow', label: 'Quick restore workflow', placeholder: 'quick-restore' },
            ]} />
          </details>
        )}
      </section>
    </div>
  );
}
