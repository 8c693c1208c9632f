/** "just now", "5 min ago", "14:03", "3 May 14:03": when something was saved or ran. */
export function formatWhen(ms: number, now = Date.now()): string {
  const d = now - ms;
  if (d < 45_000) return 'just now';
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  const t = new Date(ms);
  const time = t.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (new Date(now).toDateString() === t.toDateString()) return time;
  return `${t.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: t.getFullYear() === new Date(now).getFullYear() ? undefined : 'numeric' })} ${time}`;
}
