import { useEffect } from 'react';
import { api } from '../api/bridge';
import { ProfilePicker } from '../features/profiles/ProfilePicker';
import { LibraryView } from '../features/library/LibraryView';
import { PracticeView } from '../features/practice/PracticeView';
import { HistoryView } from '../features/history/HistoryView';
import { SettingsView } from '../features/settings/SettingsView';
import { DiagnosticsView } from '../features/diagnostics/DiagnosticsView';
import { LessonsPage } from '../features/lessons/LessonsPage';
import { ConnectionBanner, PushedErrorBanner } from './ConnectionBanner';
import { Nav } from './Nav';
import { useCurrentProfile, useProfiles } from './profileStore';
import { useRoute } from './routeStore';

export function App() {
  const load = useProfiles((s) => s.load);
  const loaded = useProfiles((s) => s.loaded);
  const profile = useCurrentProfile();
  const route = useRoute((s) => s.route);

  useEffect(() => {
    void load();
  }, [load]);

  if (api.missingToken) {
    return (
      <section className="page profile-picker" role="alert">
        <h1>Access token missing</h1>
        <p>
          Open the full address that <code>seminote serve</code> printed: it ends in <code>?token=…</code>, which lets this page talk to
          Seminote.
        </p>
      </section>
    );
  }
  if (!loaded) {
    return (
      <div className="app-loading">
        <ConnectionBanner />
        <p>Connecting to Seminote…</p>
      </div>
    );
  }
  if (!profile) {
    return (
      <>
        <ConnectionBanner />
        <ProfilePicker />
      </>
    );
  }
  return (
    <div className="app-shell">
      <Nav profileName={profile.name} />
      <main className="app-main" id="main">
        <ConnectionBanner />
        <PushedErrorBanner />
        {route.name === 'library' && <LibraryView />}
        {route.name === 'practice' && <PracticeView pieceId={route.pieceId} profileId={profile.id} />}
        {route.name === 'progress' && <HistoryView profileId={profile.id} pieceId={route.pieceId} attemptId={route.attemptId} />}
        {route.name === 'lessons' && <LessonsPage profileId={profile.id} lessonId={route.lessonId} />}
        {route.name === 'settings' && <SettingsView />}
        {route.name === 'diagnostics' && <DiagnosticsView />}
      </main>
    </div>
  );
}
