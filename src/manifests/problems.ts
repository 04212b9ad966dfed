// Problems found while loading manifests: each names the file and the document (1-based).

export interface ManifestProblem {
  /** error: the object (or file) was not loaded. note: loaded or skipped on purpose, worth saying. */
  severity: 'error' | 'note';
  file: string;
  /** 1-based document number inside the file (YAML "---" separated); absent for whole-file problems. */
  document?: number;
  /** 0-based item index inside a List document. */
  item?: number;
  message: string;
}

/** "deploy/app.yaml document 2 item 0: NetworkPolicy x: spec.podSelector missing" */
export function formatProblem(p: ManifestProblem): string {
  const where = [p.file, p.document !== undefined ? `document ${p.document}` : '', p.item !== undefined ? `item ${p.item}` : ''].filter(Boolean).join(' ');
  return `${p.severity}: ${where}: ${p.message}`;
}
