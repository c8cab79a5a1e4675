import type { Problem } from '../../graph/model';

/** All validation problems; clicking one selects the node it concerns. */
export function ProblemsList({ problems, onSelect }: { problems: Problem[]; onSelect: (activityId: string) => void }) {
  if (!problems.length) return <div className="problems ok" data-testid="problems" data-count={0}>✓ No problems found</div>;
  return (
    <div className="problems" data-testid="problems" data-count={problems.length}>
      <h4>{problems.length} problem{problems.length > 1 ? 's' : ''}</h4>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            {p.activityId ? <button className="linkish" onClick={() => onSelect(p.activityId!)}>{p.activityId}</button> : <em>workflow</em>}{' '}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
