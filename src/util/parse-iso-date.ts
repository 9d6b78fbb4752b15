const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * A date an operator typed, strictly: `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDThh:mm[:ss[.fff]]`
 * with a required zone (`Z` or `±hh:mm`); undefined for anything else. `new Date` alone rolls a day
 * that does not exist over (2027-02-30 becomes March 2nd) and reads a time without a zone in the
 * server's local time, so neither reaches it.
 */
export function parseIsoDate(text: string): Date | undefined {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly !== null) {
    const [, year, month, day] = dateOnly.map(Number);
    return utcDate(year, month, day, 0, 0, 0, 0);
  }
  const dateTime = DATE_TIME.exec(text);
  if (dateTime === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, sign, offsetHour, offsetMinute] =
    dateTime;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
  const local = utcDate(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
    Math.floor(Number(`0.${fraction ?? 0}`) * 1000),
  );
  if (local === undefined) return undefined;
  if (zulu !== undefined) return local;
  if (Number(offsetHour) > 23 || Number(offsetMinute) > 59) return undefined;
  const offsetMs = (Number(offsetHour) * 60 + Number(offsetMinute)) * 60_000;
  return new Date(local.getTime() - (sign === '-' ? -offsetMs : offsetMs));
}

/** The UTC instant of these fields, or undefined when the day does not exist in that month. */
function utcDate(
  year: number | undefined,
  month: number | undefined,
  day: number | undefined,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): Date | undefined {
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond));
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear keeps the year as written.
  date.setUTCFullYear(year, month - 1, day);
  const exists =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return exists ? date : undefined;
}
