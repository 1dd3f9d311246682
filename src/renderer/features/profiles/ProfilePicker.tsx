import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useProfiles } from '../../app/profileStore';

export function ProfilePicker() {
  const profiles = useProfiles((s) => s.profiles);
  const error = useProfiles((s) => s.error);
  const create = useProfiles((s) => s.create);
  const select = useProfiles((s) => s.select);
  const [name, setName] = useState('');

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const trimmed = name.trim();
    if (trimmed) void create(trimmed).then(() => setName(''));
  };

  return (
    <section className="profile-picker page" aria-labelledby="profiles-title">
      <h1 id="profiles-title">Who is practising?</h1>
      <ErrorBanner message={error} />
      {profiles.length > 0 ? (
        <ul className="profile-list">
          {profiles.map((p) => (
            <li key={p.id}>
              <button type="button" className="profile-card" onClick={() => select(p.id)}>
                <span className="profile-initial" aria-hidden="true">
                  {p.name.slice(0, 1).toUpperCase()}
                </span>
                {p.name}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No profiles yet. Create one to keep your practice history.</p>
      )}
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="new-profile">New profile</label>
        <input id="new-profile" value={name} maxLength={80} placeholder="Name" onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="primary" disabled={!name.trim()}>
          Create profile
        </button>
      </form>
    </section>
  );
}
