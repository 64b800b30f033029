/** The one table `npm run bench` prints: each figure, its target, and its anchor from the same run. */
export interface Row {
  readonly what: string;
  readonly figure: string;
  readonly target: string;
  readonly anchor: string;
}

export function formatTable(rows: readonly Row[]): string {
  const cols: Array<keyof Row> = ['what', 'figure', 'target', 'anchor'];
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(width[i] ?? 0)).join(' | ');
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => r[c])))].join('\n');
}

export const ms = (x: number | undefined): string => (x === undefined ? '?' : `${Math.round(x)} ms`);
export const mb = (x: number | undefined): string => (x === undefined ? '?' : `${Math.round(x)} MB`);
