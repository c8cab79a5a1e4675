import { useState } from 'react';
import { api } from '../api/endpoints';
import type { CreatedKey, Setting } from '../api/types';
import { StatusBadge } from '../components/Badges';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { SimpleForm } from '../components/SimpleForm';
import { formatTime } from '../format';
import { settingProblem } from '../forms/setting';
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
    try {
      await api.deleteKey(name);
      keys.reload();
      // A revoked key is no longer offered for copying.
      setCreated((c) => (c?.name === name ? null : c));
    } catch (e) { setError(e); }
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
        }} fields={[{ name: 'name', label: 'Name', required: true }, { name: 'role', label: 'Role', kind: 'select', options: ['viewer', 'operator', 'admin'], required: true }]} />
      </section>
      <section className="card section">
        <h2>Settings</h2>
        <ErrorBanner error={settings.error} onRetry={settings.reload} />
        {settings.data?.length === 0 && <Empty>No settings.</Empty>}
        {!!settings.data?.length && (
          <table className="table">
            <thead><tr><th>Name</th><th>Value</th><th>Default</th><th>Meaning</th></tr></thead>
            <tbody>{settings.data.map((s) => <SettingRow key={s.name} setting={s} onSaved={() => { setError(undefined); settings.reload(); }} onError={setError} />)}</tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function SettingRow({ setting, onSaved, onError }: { setting: Setting; onSaved: () => void; onError: (e: unknown) => void }) {
  const [value, setValue] = useState(setting.value);
  const changed = value !== setting.value;
  const problem = changed ? settingProblem(setting, value) : null;
  const save = async () => {
    try { await api.setSetting(setting.name, value); onSaved(); } catch (e) { onError(e); }
  };
  const id = `setting-input-${setting.name}`;
  let control;
  if (setting.kind === 'boolean')
    control = (
      <label className="switch">
        <input type="checkbox" role="switch" checked={value.toLowerCase() === 'true'} data-testid={id}
          onChange={(e) => setValue(String(e.target.checked))} /> {value.toLowerCase() === 'true' ? 'on' : 'off'}
      </label>
    );
  else if (setting.kind === 'choice' && setting.choices?.length)
    control = (
      <select value={value} onChange={(e) => setValue(e.target.value)} data-testid={id}>
        {(setting.choices.includes(value) ? setting.choices : [value, ...setting.choices]).map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
    );
  else
    control = (
      <input value={value} onChange={(e) => setValue(e.target.value)} data-testid={id} aria-invalid={!!problem}
        type={setting.kind === 'integer' || setting.kind === 'number' || setting.kind === 'duration' ? 'number' : 'text'}
        min={setting.minimum ?? undefined} max={setting.maximum ?? undefined} step={setting.kind === 'integer' ? 1 : 'any'} />
    );
  return (
    <tr data-testid={`setting-${setting.name}`}>
      <td><code>{setting.name}</code></td>
      <td className="setting-value">
        {control}
        {changed && <button className="btn btn-small btn-primary" disabled={!!problem} onClick={() => void save()} data-testid={`setting-save-${setting.name}`}>Save</button>}
        {problem && <div className="field-error" data-testid={`setting-error-${setting.name}`}>{problem}</div>}
      </td>
      <td className="muted">{setting.default}</td>
      <td className="muted small">{setting.description}{setting.allowed && <> Allowed: {setting.allowed}.</>}</td>
    </tr>
  );
}
