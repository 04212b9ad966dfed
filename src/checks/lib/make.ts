// A small constructor for findings so every check builds them the same way (code and data typed against the catalogue).

import type { Code } from '../../model/codes.js';
import type { ObjectRef } from '../../model/k8s.js';
import type { DataOf, FindingOf, Status, StepId } from '../../model/finding.js';

export interface FindingExtras<C extends Code> {
  subject?: ObjectRef;
  next?: string[];
  /** Set when the finding is unknown because the API server answered 403 Forbidden. */
  forbidden?: boolean;
  data?: DataOf<C>;
}

/** Build a Finding whose code is checked against the catalogue, and its data against the code, at compile time. */
export function make<C extends Code>(
  code: C,
  step: StepId,
  status: Status,
  summary: string,
  evidence: string[] = [],
  extras: FindingExtras<C> = {},
): FindingOf<C> {
  const f: {
    code: C;
    step: StepId;
    status: Status;
    summary: string;
    evidence: string[];
    subject?: ObjectRef;
    next?: string[];
    forbidden?: true;
    data?: DataOf<C>;
  } = { code, step, status, summary, evidence };
  if (extras.subject) f.subject = extras.subject;
  if (extras.next && extras.next.length > 0) f.next = extras.next;
  if (extras.forbidden) f.forbidden = true;
  if (extras.data) f.data = extras.data;
  return f as unknown as FindingOf<C>;
}
