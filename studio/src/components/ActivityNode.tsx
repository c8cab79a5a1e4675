import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ActivityNode as ActivityNodeType } from '../graph/model';
import { inputHandle, outcomeHandle } from '../graph/model';
import { progressFraction } from '../graph/runState';
import { formatTime } from '../format';
import { ProgressBar } from './Badges';
import { useCanvasInfo } from './CanvasContext';
import { nodeSummary } from './TriggerSummary';

/** One activity on the canvas: title, id, input port on top, one output port per outcome below. */
function ActivityNodeView({ id, data, selected }: NodeProps<ActivityNodeType>) {
  const { descriptors, ports, problems, run } = useCanvasInfo();
  const a = data.activity;
  const d = descriptors.get(a.type);
  const outcomes = ports.get(id) ?? d?.outcomes ?? ['Done'];
  const terminal = outcomes.length === 0;
  const mine = problems.get(id) ?? [];
  const rs = run?.[id];
  const state = rs?.state;
  const fraction = progressFraction(rs?.progress);
  const classes = ['activity-node', terminal ? 'terminal' : '', state ? `state-${state}` : '', mine.length ? 'has-problems' : '', selected ? 'selected' : ''];
  return (
    <div className={classes.join(' ')} data-testid={`node-${id}`} data-state={state ?? 'design'} data-problems={mine.length}
      title={mine.map((p) => p.message).join('\n') || d?.description || undefined}>
      <Handle type="target" position={Position.Top} id={inputHandle} className="port port-in" data-testid={`port-${id}-in`} />
      <div className="node-head">
        <span className="node-category">{d?.category ?? 'Unknown'}</span>
        {state && <span className={`node-state node-state-${state}`} data-testid={`state-${id}`}>{state}{rs && rs.attempt > 1 && state !== 'done' ? ` · try ${rs.attempt}` : ''}</span>}
      </div>
      <div className="node-title">{a.displayName || d?.displayName || a.type}</div>
      <div className="node-id">{id}</div>
      {nodeSummary(a) && <div className="node-id" data-testid={`summary-${id}`}>{nodeSummary(a)}</div>}
      {state === 'running' || state === 'retrying' ? (
        <div className="node-progress">
          <ProgressBar fraction={fraction} label={rs?.progress?.message ?? undefined} testId={`progress-${id}`} />
          {rs?.progress?.message && <div className="node-progress-msg">{rs.progress.message}</div>}
        </div>
      ) : null}
      {state === 'suspended' && rs?.resumeAt && (
        <div className="node-progress-msg" data-testid={`resumes-${id}`}>resumes at {formatTime(rs.resumeAt)}</div>
      )}
      {mine.length > 0 && (
        <div className="node-problems" data-testid={`problems-${id}`}>
          ⚠ {mine.length === 1 ? mine[0].message : `${mine.length} problems`}
        </div>
      )}
      <div className="node-outcomes">
        {outcomes.map((o) => <span key={o} className="outcome-label">{o}</span>)}
      </div>
      {outcomes.map((o, i) => (
        <Handle key={o} type="source" position={Position.Bottom} id={outcomeHandle(o)} className="port port-out"
          style={{ left: `${((i + 0.5) / outcomes.length) * 100}%` }} data-testid={`port-${id}-out-${o}`} title={o} />
      ))}
    </div>
  );
}

export const ActivityNode = memo(ActivityNodeView);
export const nodeTypes = { activity: ActivityNode };
