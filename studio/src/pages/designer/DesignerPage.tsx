import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { api } from '../../api/endpoints';
import type { WorkflowDefinition } from '../../api/types';
import { StatusBadge } from '../../components/Badges';
import { ErrorBanner, Loading } from '../../components/ErrorBanner';
import { Palette } from '../../components/Palette';
import { PropertyPanel } from '../../components/PropertyPanel';
import { WorkflowPanel } from '../../components/WorkflowPanel';
import { cardSize } from '../../graph/layout';
import { navigate, navigateAway, useLeaveGuard } from '../../router';
import { useSession } from '../../session';
import { useLoad } from '../../useLoad';
import { DesignerCanvas } from './DesignerCanvas';
import { DesignerToolbar } from './DesignerToolbar';
import { ProblemsList } from './ProblemsList';
import { RunDialog } from './RunDialog';
import { useWorkflowEditor } from './useWorkflowEditor';
import { VersionsPanel } from './VersionsPanel';
import { downloadJson, readDefinitionFileWithLayout } from './files';

/**
 * The workflow designer; `workflowId` "new" starts an empty workflow; `version` opens an older one.
 * Another workflow or version in the route gives a fresh designer, except the one move a designer
 * makes itself: the first save of a new workflow takes it from "new" to the workflow's id, and its
 * state (notice, undo history, selection) stays.
 */
export function DesignerPage({ workflowId = 'new', version }: { workflowId?: string; version?: number }) {
  const route = `${workflowId}/${version ?? ''}`;
  const [page, setPage] = useState({ route, generation: 0, movingTo: null as string | null });
  let generation = page.generation;
  if (page.route !== route) {
    // Adjusted while rendering (not in an effect), so no frame shows the old designer on the new route.
    if (page.movingTo !== route) generation += 1;
    setPage({ route, generation, movingTo: null });
  }
  const savedAsNew = useCallback((id: string) => setPage((p) => ({ ...p, movingTo: `${id}/` })), []);
  return (
    <ReactFlowProvider key={generation}>
      <Designer workflowId={workflowId} version={version} onSavedAsNew={savedAsNew} />
    </ReactFlowProvider>
  );
}

function Designer({ workflowId, version, onSavedAsNew }: { workflowId: string; version?: number; onSavedAsNew: (id: string) => void }) {
  const { canAdmin, canOperate } = useSession();
  const isNew = workflowId === 'new';
  const flow = useReactFlow();
  const [viewVersion, setViewVersion] = useState<number | undefined>(version);
  const descriptors = useLoad(api.descriptors, []);
  // Within one designer the id changes only from "new" to the id it saved the workflow as (DesignerPage
  // starts a fresh one for any other route), and the editor already holds that: nothing to load then.
  const wf = useLoad(() => (isNew ? Promise.resolve(null) : api.workflow(workflowId, viewVersion)), [viewVersion]);
  const editor = useWorkflowEditor(descriptors.data ?? []);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [showVersions, setShowVersions] = useState(version !== undefined);
  const [versionsKey, setVersionsKey] = useState(0);
  const [runOpen, setRunOpen] = useState(false);
  const [fitRequest, setFitRequest] = useState(0);
  const { load, markSaved, setServerProblems, definition, dirty } = editor;

  // A loaded workflow is fitted once; an empty one is not (the fit would wait for, and move, the first drop).
  const show = useCallback((d: WorkflowDefinition, saved = true) => {
    load(d, saved);
    if (d.activities.length > 0) setFitRequest((n) => n + 1);
  }, [load]);

  // The editor starts as a blank, saved new workflow, so a new one needs no load. A fetched workflow
  // replaces the editor's content while rendering, not in an effect: an effect runs after the commit
  // that already shows the palette and canvas, and an activity added in between was wiped by the load.
  const [shown, setShown] = useState<WorkflowDefinition | null>(null);
  if (wf.data && wf.data !== shown) {
    setShown(wf.data);
    show(wf.data);
  }

  // Unsaved changes are not lost silently: not by a link or Back (hash moves), nor by closing the tab.
  useLeaveGuard(useCallback(() => (dirty ? 'Discard unsaved changes?' : null), [dirty]));
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  async function act<T>(what: () => Promise<T>): Promise<T | null> {
    const sent = definition;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      return await what();
    } catch (e) {
      if (e instanceof ApiError && e.problem?.problems) setServerProblems(sent, e.problem.problems);
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  }

  // The id names the URL the draft is saved to: one that the server cannot take is not sent at all.
  const idProblem = editor.problems.find((p) => p.path === 'id' && !p.activityId);
  const save = () => act(async () => {
    if (idProblem) throw new Error(idProblem.message);
    const sent = definition;
    const saved = await api.saveWorkflow(sent);
    markSaved(sent, saved);
    setVersionsKey((k) => k + 1);
    setNotice(`Saved draft v${saved.version}.`);
    if (isNew) { onSavedAsNew(sent.id); navigateAway('designer', sent.id); }
    return saved;
  });

  const publish = () => act(async () => {
    if (idProblem) throw new Error(idProblem.message);
    let version = editor.meta.version;
    if (dirty || isNew) {
      const sent = definition;
      const saved = await api.saveWorkflow(sent);
      markSaved(sent, saved);
      version = saved.version;
    }
    const published = await api.publish(definition.id, version);
    editor.setMeta((m) => ({ ...m, version: published.version ?? version, isPublished: true }));
    setVersionsKey((k) => k + 1);
    setNotice(`Published v${published.version ?? version}.`);
  });

  const run = (input: Record<string, unknown>) => act(async () => {
    const { instanceId } = await api.run(definition.id, input);
    navigate('runs', instanceId);
  });

  const revert = (version: number) => act(async () => {
    if (!confirm(`Replace the draft with a copy of v${version}?${dirty ? ' Your unsaved changes are lost.' : ''}`)) return;
    const draft = await api.revert(definition.id, version);
    show(draft);
    setViewVersion(undefined);
    setVersionsKey((k) => k + 1);
    setNotice(`Reverted: new draft v${draft.version} copied from v${version}.`);
  });

  const importFile = (f: File) => act(async () => {
    const { definition: file, needsLayout } = await readDefinitionFileWithLayout(f);
    // The file replaces the content of the workflow on screen, which Save writes to: a file of another
    // workflow does not redirect the save to that one (it overwrote a workflow that was not shown).
    const loaded = isNew ? file : { ...file, id: definition.id, version: editor.meta.version, isPublished: editor.meta.isPublished };
    show(loaded, false);
    if (needsLayout) // after React Flow measured the nodes
      setTimeout(() => { editor.actions.layout(); setFitRequest((n) => n + 1); }, 120);
    setNotice(isNew || file.id === definition.id ? `Loaded ${f.name}; save to keep it.`
      : `Loaded ${f.name} (workflow ${file.id}) as the content of ${definition.id}; save to keep it.`);
  });

  const addAtCentre = (type: string) => {
    const r = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const centre = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
    editor.actions.addActivity(type, { x: Math.round(centre.x - cardSize.width / 2), y: Math.round(centre.y - 50) });
  };

  if (wf.error && !wf.data) return <div className="page"><ErrorBanner error={wf.error} onRetry={wf.reload} /></div>;
  if (!isNew && wf.loading && !wf.data) return <div className="page"><Loading what="workflow" /></div>;

  const readOnly = !canAdmin;
  const sel = editor.selected;
  return (
    <div className="designer" data-testid="designer">
      <DesignerToolbar editor={editor} canEdit={canAdmin} canRun={canOperate && !isNew} busy={busy}
        onSave={save} onPublish={publish} onRun={() => setRunOpen(true)} onExport={() => downloadJson(`${definition.id}.json`, definition)}
        onImport={importFile} onToggleVersions={() => setShowVersions((v) => !v)} />
      <div className="designer-status" data-testid="designer-status">
        <strong>{editor.meta.name || definition.id}</strong>
        <span className="muted">v{editor.meta.version}</span>
        <StatusBadge status={editor.meta.isPublished ? 'published' : 'draft'} testId="designer-published" />
        {dirty && <span className="dirty" data-testid="designer-dirty">● unsaved changes</span>}
        {readOnly && <span className="muted small">read-only: your key cannot change workflow definitions</span>}
        {notice && <span className="notice" data-testid="designer-notice">{notice}</span>}
      </div>
      {!runOpen && <ErrorBanner error={error} onDismiss={() => setError(undefined)} />}
      <ErrorBanner error={descriptors.error} onRetry={descriptors.reload} />
      <div className="designer-body">
        {!readOnly && <Palette descriptors={descriptors.data ?? []} onAdd={addAtCentre} />}
        <DesignerCanvas editor={editor} readOnly={readOnly} fitRequest={fitRequest} onSave={() => { if (!busy) void save(); }} />
        <aside className="side-panel">
          {showVersions && !isNew && (
            <VersionsPanel workflowId={definition.id} current={editor.meta.version} refreshKey={versionsKey} canEdit={canAdmin}
              onOpen={(v) => { if (!dirty || confirm('Discard unsaved changes?')) setViewVersion(v); }} onRevert={revert} />
          )}
          {sel ? (
            <PropertyPanel key={sel.id} activity={sel.data.activity} descriptor={editor.byType.get(sel.data.activity.type)} scope={editor.scope}
              problems={editor.problemMap.get(sel.id) ?? []} readOnly={readOnly}
              onChange={(patch, key) => editor.actions.updateActivity(sel.id, patch, key)} />
          ) : (
            <WorkflowPanel meta={editor.meta} isNew={isNew} readOnly={readOnly} onChange={editor.setMeta} />
          )}
          <ProblemsList problems={editor.problems} onSelect={(id) => editor.dispatch({ type: 'nodes', changes: editor.graph.nodes.map((n) => ({ type: 'select', id: n.id, selected: n.id === id })) })} />
        </aside>
      </div>
      {runOpen && <RunDialog inputs={editor.meta.inputs} busy={busy} error={error} onRun={run} onClose={() => { setRunOpen(false); setError(undefined); }} />}
    </div>
  );
}
