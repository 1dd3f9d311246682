import { create } from 'zustand';
import type { Profile } from '../../shared/api';
import { api } from '../api/bridge';
import { describeError } from '../api/clientError';

const SELECTED_KEY = 'seminote.profileId';

interface ProfileState {
  profiles: Profile[];
  loaded: boolean;
  selectedId: number | null;
  error: string | null;
  load(): Promise<void>;
  create(name: string): Promise<void>;
  select(id: number | null): void;
}

function storedSelection(): number | null {
  const text = window.localStorage.getItem(SELECTED_KEY);
  const n = text ? Number(text) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

export const useProfiles = create<ProfileState>((set, get) => ({
  profiles: [],
  loaded: false,
  selectedId: storedSelection(),
  error: null,
  async load() {
    try {
      const profiles = await api.invoke('profiles.list', {});
      const selected = get().selectedId;
      // A stored id whose profile is gone (another data dir, deleted) must not stick.
      const stillThere = profiles.some((p) => p.id === selected);
      set({ profiles, loaded: true, error: null, selectedId: stillThere ? selected : null });
    } catch (error) {
      set({ error: describeError(error), loaded: true });
    }
  },
  async create(name) {
    try {
      const profile = await api.invoke('profiles.create', { name });
      set((s) => ({ profiles: [...s.profiles, profile], error: null }));
      get().select(profile.id);
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
  select(id) {
    if (id === null) window.localStorage.removeItem(SELECTED_KEY);
    else window.localStorage.setItem(SELECTED_KEY, String(id));
    set({ selectedId: id });
  },
}));

export function useCurrentProfile(): Profile | null {
  return useProfiles((s) => s.profiles.find((p) => p.id === s.selectedId) ?? null);
}
