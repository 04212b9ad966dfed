// The report layer: build the versioned Report, then render it as a table, JSON or Markdown.
export { buildReport, toReportFinding } from './build.js';
export { renderJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export { renderTable, type TableOptions } from './table.js';
export { worstStatus } from './status.js';
export { REPORT_SCHEMA, type Report, type ReportFinding, type ReportProbe, type ReportStep } from './types.js';
