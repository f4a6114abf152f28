import type { Ratio } from '../../core/loop/figure-tally.js';

/** "2026-11-23 14:05 UTC". */
export function formatWhen(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "1h 20m", "2d 3h", "45m", "under a minute". */
export function formatSpan(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** "in 1h 20m" or "overdue by 5m", as the live clock starts (the browser keeps it running). */
export function formatRelative(at: number, now: number): string {
  return at >= now ? `in ${formatSpan(at - now)}` : `overdue by ${formatSpan(now - at)}`;
}

/** "66.7 %" or "–" without a denominator. */
export function formatShare(ratio: Ratio): string {
  return ratio.share === null ? '–' : `${(ratio.share * 100).toFixed(1)} %`;
}

/** A share as the charts plot it: a percentage to one decimal, null without a denominator. */
export function percent(ratio: Ratio): number | null {
  return ratio.share === null ? null : Math.round(ratio.share * 1000) / 10;
}

/** "12/20". */
export function formatCount(ratio: Ratio): string {
  return `${ratio.count}/${ratio.of}`;
}
