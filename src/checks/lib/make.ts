// A small constructor for findings so every check builds them the same way (code typed against the catalogue).

import type { CoreCode } from '../../model/codes.js';
import type { ObjectRef } from '../../model/k8s.js';
import type { Finding, Status, StepId } from '../../model/finding.js';

export interface FindingExtras {
  subject?: ObjectRef;
  next?: string[];
  data?: Record<string, unknown>;
}

/** Build a Finding whose code is checked against the core catalogue at compile time. */
export function make(
  code: CoreCode,
  step: StepId,
  status: Status,
  summary: string,
  evidence: string[] = [],
  extras: FindingExtras = {},
): Finding {
  const f: Finding = { code, step, status, summary, evidence };
  if (extras.subject) f.subject = extras.subject;
  if (extras.next && extras.next.length > 0) f.next = extras.next;
  if (extras.data) f.data = extras.data;
  return f;
}
