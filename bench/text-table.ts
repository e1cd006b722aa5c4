export type Row = readonly string[];
export type Align = 'left' | 'right';

/** Columns padded to their widest cell, with a rule under the header row. */
export function formatTable(
  rows: readonly Row[],
  aligns: readonly Align[],
): string[] {
  const widths = aligns.map((_, column) =>
    Math.max(...rows.map((cells) => (cells[column] ?? '').length)),
  );
  const line = (cells: Row) =>
    aligns
      .map((align, column) => {
        const cell = cells[column] ?? '';
        const width = widths[column]!;
        return align === 'left' ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');

  return [line(rows[0]!), rule, ...rows.slice(1).map(line)];
}

/** The columns of a measurement table: label, count, time, rate, unit, spread. */
export const measurementAligns: readonly Align[] = [
  'left',
  'right',
  'right',
  'right',
  'left',
  'right',
];
