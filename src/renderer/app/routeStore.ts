import { create } from 'zustand';
import type { Route } from './route';
import { formatRoute, parseRoute } from './route';

interface RouteState {
  route: Route;
  navigate(route: Route): void;
}

export const useRoute = create<RouteState>((set) => ({
  route: parseRoute(window.location.hash),
  navigate(route) {
    const hash = formatRoute(route);
    if (window.location.hash !== hash) window.location.hash = hash;
    set({ route });
  },
}));

window.addEventListener('hashchange', () => {
  useRoute.setState({ route: parseRoute(window.location.hash) });
});
