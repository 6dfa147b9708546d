import { useEffect, useState } from 'preact/hooks';

/** The hash route as decoded path segments: '#/projects/bees/train' → ['projects','bees','train']. */
export function currentRoute() {
  const h = location.hash.replace(/^#\/?/, '');
  return h.split('/').filter(Boolean).map((s) => {
    try { return decodeURIComponent(s); } catch (_) { return s; }
  });
}

export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts) => '#/' + parts.map(encodeURIComponent).join('/');
