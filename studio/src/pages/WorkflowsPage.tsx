import { Fragment, useState } from 'react';
import { api } from '../api/endpoints';
import { StatusBadge } from '../components/Badges';
import { Empty, ErrorBanner, Loading } from '../components/ErrorBanner';
import { formatTime } from '../format';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { readDefinitionFile } from './designer/files';
import { VersionsPanel } from './designer/VersionsPanel';

/** Workflow definitions with their latest and published versions; import and delete for admins. */
export function WorkflowsPage() {
  const { canAdmin } = useSession();
  const list = useLoad(api.workflows, []);
  const [error, setError] = useState<unknown>();
  const [publishImport, setPublishImport] = useState(false);
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const revert = async (id: string, version: number) => {
    if (!confirm(`Replace the draft of ${id} with a copy of v${version}?`)) return;
    setError(undefined);
    try {
      await api.revert(id, version);
      setVersionsKey((k) => k + 1);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  const importFile = async (f: File) => {
    setError(undefined);
    try {
      const def = await api.importWorkflow(await readDefinitionFile(f), publishImport);
      navigate('designer', def.id);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (id: string) => {
    if (!confirm(`Delete workflow ${id} and all its versions?`)) return;
    try {
      await api.deleteWorkflow(id);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="page" data-testid="workflows-page">
      <div className="page-head">
        <h1>Workflows</h1>
        <span className="spacer" />
        {canAdmin && (
          <>
            <label className="small"><input type="checkbox" checked={publishImport} onChange={(e) => setPublishImport(e.target.checked)} /> publish on import</label>
            <label className="btn file-btn" data-testid="workflow-import">
              Import JSON…
              <input type="file" accept="application/json,.json" data-testid="workflow-import-file"
                onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
            </label>
            <button className="btn btn-primary" onClick={() => navigate('designer', 'new')} data-testid="workflow-new">New workflow</button>
          </>
        )}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(undefined)} />
      <ErrorBanner error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading what="workflows" />}
      {list.data && list.data.length === 0 && <Empty>No workflows yet.</Empty>}
      {list.data && list.data.length > 0 && (
        <table className="table">
          <thead><tr><th>Name</th><th>Id</th><th>Latest</th><th>Published</th><th>Updated</th><th /></tr></thead>
          <tbody>
            {list.data.map((w) => (
              <Fragment key={w.id}>
              <tr data-testid={`workflow-row-${w.id}`}>
                <td><Link to={['designer', w.id]} data-testid={`workflow-open-${w.id}`}>{w.name}</Link>
                  {w.description && <div className="muted small">{w.description}</div>}</td>
                <td><code>{w.id}</code></td>
                <td>v{w.latestVersion}</td>
                <td>{w.publishedVersion ? <StatusBadge status={`v${w.publishedVersion}`} /> : <span className="muted">not published</span>}</td>
                <td>{formatTime(w.updatedAt)}</td>
                <td className="actions">
                  <button className="btn btn-small btn-ghost" onClick={() => setVersionsOf(versionsOf === w.id ? null : w.id)} data-testid={`workflow-versions-${w.id}`}>Versions</button>
                  <Link className="btn btn-small btn-ghost" to={['runs']} onClick={() => sessionStorage.setItem('bwf.runs.definition', w.id)}>Runs</Link>
                  {canAdmin && <button className="btn btn-small btn-danger" onClick={() => void remove(w.id)} data-testid={`workflow-delete-${w.id}`}>Delete</button>}
                </td>
              </tr>
              {versionsOf === w.id && (
                <tr><td colSpan={6} className="nested">
                  <VersionsPanel workflowId={w.id} current={w.latestVersion} refreshKey={versionsKey} canEdit={canAdmin}
                    onOpen={(v) => navigate('designer', w.id, String(v))} onRevert={(v) => void revert(w.id, v)} />
                </td></tr>
              )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
