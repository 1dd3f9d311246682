import type { RouteName } from './route';
import { useProfiles } from './profileStore';
import { useRoute } from './routeStore';

const ITEMS: { name: RouteName; label: string }[] = [
  { name: 'practice', label: 'Practice' },
  { name: 'library', label: 'Library' },
  { name: 'lessons', label: 'Lessons' },
  { name: 'progress', label: 'Progress' },
  { name: 'settings', label: 'Settings' },
  { name: 'diagnostics', label: 'Diagnostics' },
];

export function Nav({ profileName }: { profileName: string }) {
  const route = useRoute((s) => s.route);
  const navigate = useRoute((s) => s.navigate);
  const select = useProfiles((s) => s.select);

  const go = (name: RouteName): void => {
    // Practice and Progress keep the piece that is open, so switching tabs does not lose it.
    const pieceId = route.name === 'practice' || route.name === 'progress' ? route.pieceId : null;
    if (name === 'practice') navigate({ name, pieceId });
    else if (name === 'progress') navigate({ name, pieceId, attemptId: null });
    else if (name === 'lessons') navigate({ name, lessonId: null });
    else navigate({ name });
  };

  return (
    <nav className="app-nav" aria-label="Main">
      <div className="brand">Seminote</div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.name}>
            <button
              type="button"
              className={route.name === item.name ? 'nav-item active' : 'nav-item'}
              aria-current={route.name === item.name ? 'page' : undefined}
              onClick={() => go(item.name)}
            >
              {item.label}
            </button>
          </li>
        ))}
      </ul>
      <div className="nav-profile">
        <span className="muted">Profile</span>
        <strong data-testid="current-profile">{profileName}</strong>
        <button type="button" className="link-button" onClick={() => select(null)}>
          Switch profile
        </button>
      </div>
    </nav>
  );
}
