import { StatusBadge } from './components/Badges';
import { AdminPage } from './pages/AdminPage';
import { DesignerPage } from './pages/designer/DesignerPage';
import { InfrastructurePage } from './pages/InfrastructurePage';
import { RunsPage } from './pages/RunsPage';
import { RunViewPage } from './pages/run/RunViewPage';
import { JobsPage } from './pages/JobsPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { VmsPage } from './pages/vms/VmsPage';
import { WorkflowsPage } from './pages/WorkflowsPage';
import { Link, useRoute } from './router';
import { useSession } from './session';

const sections: { key: string; label: string; also: string[]; adminOnly?: boolean }[] = [
  { key: 'workflows', label: 'Workflows', also: ['designer'] },
  { key: 'runs', label: 'Runs', also: [] },
  { key: 'vms', label: 'VMs & backups', also: [] },
  { key: 'jobs', label: 'Jobs', also: [] },
  { key: 'schedules', label: 'Schedules', also: [] },
  { key: 'infrastructure', label: 'Infrastructure', also: [] },
  { key: 'admin', label: 'Administration', also: [], adminOnly: true },
];

function Page({ route, canAdmin }: { route: string[]; canAdmin: boolean }) {
  const [section, id] = route;
  switch (section) {
    // Not keyed by the route: DesignerPage itself starts afresh for another workflow, but not when its first save moved it.
    case 'designer': return <DesignerPage workflowId={id} version={route[2] ? Number(route[2]) : undefined} />;
    case 'runs': return id ? <RunViewPage key={id} instanceId={id} /> : <RunsPage />;
    case 'vms': return <VmsPage selected={id} />;
    case 'jobs': return <JobsPage />;
    case 'schedules': return <SchedulesPage />;
    case 'infrastructure': return <InfrastructurePage />;
    case 'admin': return canAdmin ? <AdminPage /> : <WorkflowsPage />;
    default: return <WorkflowsPage />;
  }
}

/** Navigation bar and the current page. */
export function Shell() {
  const route = useRoute();
  const { me, signOut, canAdmin } = useSession();
  const active = route[0] ?? 'workflows';
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">BackupWorkflows <span className="brand-sub">Studio</span></span>
        <nav>
          {sections.filter((s) => !s.adminOnly || canAdmin).map((s) => (
            <Link key={s.key} to={[s.key]} data-testid={`nav-${s.key}`}
              className={s.key === active || s.also.includes(active) ? 'nav-link active' : 'nav-link'}>
              {s.label}
            </Link>
          ))}
        </nav>
        <span className="who" data-testid="current-user">
          {me.name} <StatusBadge status={me.role} testId="current-role" />
        </span>
        <button className="btn btn-ghost btn-small" onClick={signOut} data-testid="signout">Sign out</button>
      </header>
      <main className="content">
        <Page route={route} canAdmin={canAdmin} />
      </main>
    </div>
  );
}
