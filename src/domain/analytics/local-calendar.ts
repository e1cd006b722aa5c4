import type { CivilDay } from './civil-day.js';
import { civilDayOfWallTime } from './civil-day.js';

/**
 * Offsets are looked up once per UTC day, and on the days they change,
 * once per quarter hour.
 */
const dayMs = 86_400_000;
const slotMs = 15 * 60_000;
/** Beyond this many remembered spans the memory starts afresh. */
const maxSpans = 100_000;

/**
 * The civil days of instants in one IANA time zone. The zone's offset at
 * each instant comes from Intl, which knows its daylight saving rules, so
 * a day starts at the local midnight even on the days the clocks change.
 * Intl is slow, so a span's offset is remembered when it is the same at
 * both ends of the span: a UTC day, or on the days the offset changes, a
 * quarter hour. Within a quarter hour where it changes, each instant is
 * asked about on its own.
 */
export class LocalCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly days = new Map<number, number | null>();
  private readonly slots = new Map<number, number | null>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The local date at an instant given in milliseconds since the epoch. */
  dayOf(instantMs: number): CivilDay {
    return civilDayOfWallTime(instantMs + this.offsetAt(instantMs));
  }

  /** How far local wall-clock time is ahead of UTC at an instant, in ms. */
  offsetAt(instantMs: number): number {
    const daily = this.steady(this.days, dayMs, instantMs);
    if (daily !== null) return daily;

    return (
      this.steady(this.slots, slotMs, instantMs) ?? this.exactOffset(instantMs)
    );
  }

  /** The offset of the span around the instant, null if it changes in it. */
  private steady(
    spans: Map<number, number | null>,
    length: number,
    instantMs: number,
  ): number | null {
    const span = Math.floor(instantMs / length);
    let offset = spans.get(span);
    if (offset === undefined) {
      const start = this.exactOffset(span * length);
      const end = this.exactOffset((span + 1) * length - 1);
      offset = start === end ? start : null;
      if (spans.size >= maxSpans) spans.clear();
      spans.set(span, offset);
    }

    return offset;
  }

  private exactOffset(instantMs: number): number {
    const second = Math.floor(instantMs / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(second)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year!,
      parts.month! - 1,
      parts.day!,
      parts.hour!,
      parts.minute!,
      parts.second!,
    );

    return wall - second;
  }
}
