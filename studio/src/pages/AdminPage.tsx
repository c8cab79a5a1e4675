import { useState } from 'react';
import { api } from '../api/endpoints';
import type { CreatedKey, Setting } from '../api/types';
import { StatusBadge } from '../components/Badges';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { SimpleForm } from '../components/SimpleForm';
import { formatTime } from '../format';
import { useLoad } from '../useLoad';

/** Admins only: API keys (a new key is shown once) and server settings. */
export function AdminPage() {
  const keys = useLoad(api.keys, []);
  const settings = useLoad(api.settings, []);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [error, setError] = useState<unknown>();
  const revoke = async (name: string) => {
    if (!confirm(`Revoke key ${name}? Clients using it are refused at once.`)) return;
    setError(undefined);
    try { await api.deleteKey(name); keys.reload(); } catch (e) { setError(e); }
  };
  return (
    <div className="page" data-testid="admin-page">
      <h1>Administration</h1>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      <section className="card section">
        <h2>API keys</h2>
        <ErrorBanner error={keys.error} onRetry={keys.reload} />
        {keys.loading && !keys.data && <Loading what="keys" />}
        {created && (
          <div className="banner banner-ok" data-testid="key-created">
            <div className="banner-text">Key <strong>{created.name}</strong> ({created.role}) — copy it now, it is not shown again:
              <pre data-testid="key-created-value">{created.key}</pre></div>
            <button className="btn btn-ghost" onClick={() => setCreated(null)}>×</button>
          </div>
        )}
        {keys.data?.length === 0 && <Empty>No keys.</Empty>}
        {!!keys.data?.length && (
          <table className="table">
            <thead><tr><th>Name</th><th>Role</th><th>Created</th><th /></tr></thead>
            <tbody>{keys.data.map((k) => (
              <tr key={k.name} data-testid={`key-${k.name}`}>
                <td><strong>{k.name}</strong></td><td><StatusBadge status={k.role} /></td><td>{formatTime(k.createdAt)}</td>
                <td className="actions"><button className="btn btn-small btn-danger" onClick={() => void revoke(k.name)} data-testid={`key-delete-${k.name}`}>Revoke</button></td>
              </tr>))}
            </tbody>
          </table>
        )}
        <SimpleForm testId="key-form" submitLabel="Create key" onSubmit={async (v) => {
          setCreated(await api.createKey(String(v.name ?? ''), String(v.role ?? 'viewer')));
          keys.reload();
        }} fields={[{ name: 'name', label: 'Name', required: true }, { name: 'role', label: 'Role (viewer, operator, admin)', required: true, initial: 'viewer' }]} />
      </section>
      <section className="card section">
        <h2>Settings</h2>
        <ErrorBanner error={settings.error} onRetry={settings.reload} />
        {settings.data?.length === 0 && <Empty>No settings.</Empty>}
        {!!settings.data?.length && (
          <table className="table">
            <thead><tr><th>Name</th><th>Value</th><th>Default</th><th>Meaning</th></tr></thead>
            <tbody>{settings.data.map((s) => <SettingRow key={s.name} setting={s} onSaved={settings.reload} onError={setError} />)}</tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function SettingRow({ setting, onSaved, onError }: { setting: Setting; onSaved: () => void; onError: (e: unknown) => void }) {
  const [value, setValue] = useState(setting.value);
  const changed = value !== setting.value;
  const save = async () => {
    try { await api.setSetting(setting.name, value); onSaved(); } catch (e) { onError(e); }
  };
  return (
    <tr data-testid={`setting-${setting.name}`}>
      <td><code>{setting.name}</code></td>
      <td className="setting-value">
        <input value={value} onChange={(e) => setValue(e.target.value)} data-testid={`setting-input-${setting.name}`} />
        {changed && <button className="btn btn-small btn-primary" onClick={() => void save()} data-testid={`setting-save-${setting.name}`}>Save</button>}
      </td>
      <td className="muted">{setting.default}</td>
      <td className="muted small">{setting.description}{setting.allowed && <> Allowed: {setting.allowed}.</>}</td>
    </tr>
  );
}
