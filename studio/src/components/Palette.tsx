import { useMemo, useState } from 'react';
import type { ActivityDescriptor } from '../api/types';
import { groupDescriptors } from '../graph/ports';

export const paletteMime = 'application/x-bwf-activity';

/** Activity descriptors by category, searchable; drag an item onto the canvas, or double-click / Enter to add it. */
export function Palette({ descriptors, onAdd }: { descriptors: ActivityDescriptor[]; onAdd: (type: string) => void }) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => groupDescriptors(descriptors, search), [descriptors, search]);
  return (
    <aside className="palette" data-testid="palette">
      <input className="palette-search" type="search" placeholder="Search activities…" value={search}
        onChange={(e) => setSearch(e.target.value)} data-testid="palette-search" />
      <div className="palette-groups">
        {groups.length === 0 && <div className="muted small">No activity matches “{search}”.</div>}
        {groups.map(([category, items]) => (
          <section key={category} className="palette-group" data-testid={`palette-group-${category}`}>
            <h4>{category}</h4>
            {items.map((d) => (
              <div key={d.type} className="palette-item" draggable tabIndex={0} role="button" title={d.description ?? d.type}
                data-testid={`palette-item-${d.type}`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(paletteMime, d.type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDoubleClick={() => onAdd(d.type)}
                onKeyDown={(e) => { if (e.key === 'Enter') onAdd(d.type); }}>
                <span className="palette-name">{d.displayName}</span>
                <span className="palette-type">{d.type}</span>
              </div>
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
