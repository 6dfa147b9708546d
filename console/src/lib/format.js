export const percent = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(Number(x)) ? '—' : `${(Number(x) * 100).toFixed(digits)}%`);
export const fixed = (x, digits = 3) => (x === undefined || x === null || Number.isNaN(Number(x)) ? '—' : Number(x).toFixed(digits));

export function duration(s) {
  if (s === undefined || s === null || !Number.isFinite(Number(s))) return '—';
  s = Math.max(0, Math.round(Number(s)));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function dateTime(epochSeconds) {
  if (!epochSeconds) return '';
  return new Date(Number(epochSeconds) * 1000).toLocaleString();
}
