/** The zone a tenant's days and weeks are counted in until it sets one. */
export const defaultTimeZone = 'UTC';

/** `Area/Location` names and `UTC`: the IANA names, never bare offsets. */
const ianaNamePattern = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/i;

/**
 * The canonical spelling of an IANA time zone name, or undefined when the
 * runtime's time zone database does not know it. Offsets such as `+02:00`
 * are refused: they have no daylight saving time, and a tenant that meant
 * its own zone would get wrong day boundaries half the year.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!ianaNamePattern.test(name)) return undefined;

  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: name,
    }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
