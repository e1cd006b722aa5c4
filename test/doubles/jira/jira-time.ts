/**
 * Jira writes instants as local time with the offset of a zone,
 * `2019-08-13T06:14:23.580+0800`, and reads JQL dates in the user's zone.
 * The double does both, in the zone its `/myself` reports.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

const hourMs = 3_600_000;

/** Minutes east of UTC in `zone` at `instant`. */
export function zoneOffsetMinutes(instant: number, zone: string): number {
  const bucket = `${zone}@${Math.floor(instant / hourMs)}`;
  const known = offsets.get(bucket);
  if (known !== undefined) return known;

  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const part = (type: string) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  const offset = Math.round(
    (wall - Math.floor(instant / 1000) * 1000) / 60_000,
  );
  offsets.set(bucket, offset);

  return offset;
}

export function formatJiraTimestamp(instant: number, zone: string): string {
  const offset = zoneOffsetMinutes(instant, zone);
  const local = new Date(instant + offset * 60_000).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');

  return `${local.slice(0, 23)}${sign}${hours}${minutes}`;
}

/** The instant a wall-clock time in `zone` names (the later one in a gap). */
export function instantOfWallTime(
  wall: {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
  },
  zone: string,
): number {
  const asUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
  );
  const first = asUtc - zoneOffsetMinutes(asUtc, zone) * 60_000;

  return asUtc - zoneOffsetMinutes(first, zone) * 60_000;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }

  return formatter;
}
