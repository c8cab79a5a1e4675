import { useReactFlow } from '@xyflow/react';
import { fitToNodes } from './fit';
import type { WorkflowEditor } from './useWorkflowEditor';

interface Props {
  editor: WorkflowEditor;
  canEdit: boolean;
  canRun: boolean;
  busy: boolean;
  onSave: () => void;
  onPublish: () => void;
  onRun: () => void;
  onExport: () => void;
  onImport: (file: File) => void;
  onToggleVersions: () => void;
}

/** Designer commands; editing ones only for admins, run for operators. Shortcuts are in the titles. */
export function DesignerToolbar({ editor, canEdit, canRun, busy, onSave, onPublish, onRun, onExport, onImport, onToggleVersions }: Props) {
  const flow = useReactFlow();
  const { actions, selectedCount } = editor;
  return (
    <div className="toolbar" data-testid="designer-toolbar">
      {canEdit && (
        <>
          <button className="btn" onClick={actions.undo} disabled={!editor.canUndo} title="Undo (Ctrl+Z)" data-testid="undo">Undo</button>
          <button className="btn" onClick={actions.redo} disabled={!editor.canRedo} title="Redo (Ctrl+Shift+Z / Ctrl+Y)" data-testid="redo">Redo</button>
          <span className="sep" />
          <button className="btn" onClick={() => actions.copy()} disabled={!selectedCount} title="Copy (Ctrl+C)" data-testid="copy">Copy</button>
          <button className="btn" onClick={actions.paste} title="Paste (Ctrl+V)" data-testid="paste">Paste</button>
          <button className="btn" onClick={actions.deleteSelected} disabled={!selectedCount && !editor.graph.edges.some((e) => e.selected)} title="Delete (Del)" data-testid="delete">Delete</button>
          <span className="sep" />
          <button className="btn" onClick={() => { actions.layout(); requestAnimationFrame(() => fitToNodes(flow, 200)); }} title="Auto-layout (Shift+L)" data-testid="auto-layout">Auto-layout</button>
        </>
      )}
      <button className="btn" onClick={() => fitToNodes(flow, 200)} title="Zoom to fit (Shift+F)" data-testid="zoom-fit">Fit</button>
      <span className="spacer" />
      <button className="btn btn-ghost" onClick={onToggleVersions} data-testid="versions-toggle">Versions</button>
      <button className="btn btn-ghost" onClick={onExport} title="Download the definition as JSON" data-testid="export">Export</button>
      {canEdit && (
        <label className="btn btn-ghost file-btn" title="Load a definition JSON into the editor (then save)" data-testid="import">
          Import
          <input type="file" accept="application/json,.json" data-testid="import-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) onImport(f); e.target.value = ''; }} />
        </label>
      )}
      {canEdit && <button className="btn" onClick={onSave} disabled={busy} title="Save draft (Ctrl+S)" data-testid="save">Save draft</button>}
      {canEdit && <button className="btn btn-primary" onClick={onPublish} disabled={busy} data-testid="publish">Publish</button>}
      {canRun && <button className="btn btn-accent" onClick={onRun} disabled={busy} data-testid="run">Run…</button>}
    </div>
  );
}
