import type { CivilDay } from './civil-day.js';
import { civilDayOfWallTime } from './civil-day.js';

/** Offsets are looked up once per quarter hour of the timeline. */
const slotMs = 15 * 60_000;
/** Beyond this many remembered slots the memory starts afresh. */
const maxSlots = 200_000;

/**
 * The civil days of instants in one IANA time zone. The zone's offset at
 * each instant comes from Intl, which knows its daylight saving rules, so
 * a day starts at the local midnight even on the days the clocks change.
 * Intl is slow, so each quarter hour's offset is remembered when it is
 * the same at both ends of the quarter; within a quarter hour where the
 * offset changes, each instant is asked about on its own.
 */
export class LocalCalendar {
  private readonly format: Intl.DateTimeFormat;
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
    const slot = Math.floor(instantMs / slotMs);
    let offset = this.slots.get(slot);
    if (offset === undefined) {
      offset = this.steadyOffset(slot);
      if (this.slots.size >= maxSlots) this.slots.clear();
      this.slots.set(slot, offset);
    }

    return offset ?? this.exactOffset(instantMs);
  }

  /** The slot's offset when it holds throughout, or null when it changes. */
  private steadyOffset(slot: number): number | null {
    const start = this.exactOffset(slot * slotMs);
    const end = this.exactOffset((slot + 1) * slotMs - 1);

    return start === end ? start : null;
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
