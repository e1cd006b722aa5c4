/** The zone a tenant's days and weeks are counted in until it sets one. */
export const defaultTimeZone = 'UTC';

/** `Area/Location` names and `UTC`: the IANA names, never bare offsets. */
const ianaNamePattern = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+)$/i;

/**
 * An IANA time zone name as the runtime's time zone database spells it,
 * or undefined when the database does not know it. A current name stays
 * as given (Asia/Kolkata), though the database may file it under an older
 * one (Asia/Calcutta); only its case is corrected. Offsets such as
 * `+02:00` are refused: they have no daylight saving time, and a tenant
 * that meant its own zone would get wrong day boundaries half the year.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!ianaNamePattern.test(name)) return undefined;

  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
    }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }

  return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
}
