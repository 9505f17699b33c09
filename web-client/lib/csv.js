// CSV for coordinators' downloads (RFC 4180: comma separated, CRLF lines,
// quotes doubled). A cell that a spreadsheet would run as a formula (it
// starts with = + - @ or a tab) gets a leading apostrophe, so an exported
// comment cannot execute anything when the file is opened. Pure.

const FORMULA = /^[=+\-@\t\r]/;

/** One cell as CSV text. Numbers and booleans as they are; null and undefined empty. */
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  let s = String(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole file: rows is an array of arrays (the first is the header). Ends with CRLF; starts with a BOM so spreadsheets read UTF-8. */
export function toCsv(rows) {
  return `\ufeff${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
