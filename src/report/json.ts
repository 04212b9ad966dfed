// renderJson(): the report as stable, pretty-printed JSON (schema k8snet.diagnose/v1).

import { escapeJsonForTerminal } from './neutralize.js';
import type { Report } from './types.js';

export function renderJson(report: Report): string {
  return `${escapeJsonForTerminal(JSON.stringify(report, null, 2))}\n`;
}
