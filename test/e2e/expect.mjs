// Compares one k8snet run with a scenario's expectation; returns the list of mismatches.

export function checkExpectations(expect, run, audit) {
  const problems = [];
  const j = run.json;
  if (expect.exit !== undefined && run.code !== expect.exit) problems.push(`exit code ${run.code}, expected ${expect.exit}`);
  if (run.error) problems.push(`k8snet did not finish: ${run.error.message}`);
  if (expect.maxMs !== undefined && run.ms > expect.maxMs) problems.push(`took ${run.ms} ms, limit ${expect.maxMs} ms`);
  const needJson = expect.layer !== undefined || expect.verdict !== undefined || expect.codes || expect.evidence;
  if (needJson && !j) problems.push(`no JSON on stdout (stderr: ${run.stderr.trim().slice(0, 300)})`);
  if (j && j.diagnosis) {
    if (expect.verdict !== undefined && j.diagnosis.verdict !== expect.verdict) problems.push(`verdict ${j.diagnosis.verdict}, expected ${expect.verdict}`);
    if (expect.layer !== undefined && j.diagnosis.layer !== expect.layer) problems.push(`named layer ${j.diagnosis.layer}, expected ${expect.layer}`);
  }
  if (j) {
    const found = new Map();
    for (const step of j.steps ?? []) for (const f of step.findings ?? []) found.set(`${f.code}`, f.status);
    for (const c of j.findings ?? []) found.set(c.code, c.status);
    for (const want of expect.codes ?? []) {
      const [code, status] = want.split(':');
      if (!found.has(code)) problems.push(`finding ${code} missing (found: ${[...found.keys()].join(', ')})`);
      else if (status && found.get(code) !== status) problems.push(`finding ${code} is ${found.get(code)}, expected ${status}`);
    }
    for (const code of expect.absentCodes ?? []) if (found.has(code)) problems.push(`finding ${code} present but must not be`);
    const text = JSON.stringify(j);
    for (const ev of expect.evidence ?? []) if (!text.includes(ev)) problems.push(`evidence "${ev}" not in the output`);
  }
  // k8snet sweep (schema k8snet.sweep/v1): per-row verdict/layer/reason/codes, namespaces not checked
  if (j && j.schema === 'k8snet.sweep/v1') problems.push(...checkSweep(expect, j));
  for (const s of expect.stderr ?? []) if (!run.stderr.includes(s)) problems.push(`stderr lacks "${s}" (stderr: ${run.stderr.trim().slice(0, 300)})`);
  for (const s of expect.stdout ?? []) if (!run.stdout.includes(s)) problems.push(`stdout lacks "${s}" (stdout: ${run.stdout.trim().slice(-600)})`);
  if (expect.noStack !== false && /\n\s+at .+\(.+:\d+:\d+\)/.test(run.stderr)) problems.push('stderr contains a stack trace');
  if (audit) {
    if (audit.error) problems.push(`audit: ${audit.error}`);
    if (audit.writes?.length) problems.push(`k8snet made writes: ${audit.writes.join('; ')}`);
    if (expect.maxRequests !== undefined && audit.requests > expect.maxRequests) problems.push(`${audit.requests} API requests, limit ${expect.maxRequests}`);
  }
  return problems;
}

/**
 * `expect.absentEverywhere`: none of the strings appears in any output format of the run (outputs:
 * [where, text] pairs from run.mjs: json, table -v, markdown, analyze of the saved facts in every
 * format, stderr of each, and the facts file). Fails too when fewer than five formats produced output,
 * so a run that printed nothing cannot pass by accident.
 */
export function absentEverywhere(strings, outputs) {
  const problems = [];
  for (const s of strings) for (const [where, text] of outputs) if (text.includes(s)) problems.push(`"${s}" appears in ${where}`);
  const produced = outputs.filter(([w, t]) => w.endsWith('stdout') && t.trim()).length + (outputs[0]?.[1]?.trim() ? 1 : 0);
  if (produced < 5) problems.push(`absentEverywhere: expected output from at least 5 formats, got ${produced}`);
  return problems;
}

/** expect.rows: {"ns/name": {verdict, layer, reason (substring), codes: ["code:status"]}}; expect.notChecked: [ns]; expect.rowCount. */
function checkSweep(expect, j) {
  const problems = [];
  const rows = new Map((j.rows ?? []).map((r) => [`${r.namespace}/${r.name}`, r]));
  for (const [key, want] of Object.entries(expect.rows ?? {})) {
    const r = rows.get(key);
    if (!r) {
      problems.push(`sweep row ${key} missing (rows: ${[...rows.keys()].join(', ')})`);
      continue;
    }
    if (want.verdict !== undefined && r.verdict !== want.verdict)
      problems.push(`sweep row ${key}: verdict ${r.verdict}, expected ${want.verdict} (${r.reason})`);
    if (want.layer !== undefined && r.layer !== want.layer) problems.push(`sweep row ${key}: layer ${r.layer}, expected ${want.layer} (${r.reason})`);
    if (want.reason !== undefined && !r.reason.includes(want.reason)) problems.push(`sweep row ${key}: reason "${r.reason}" lacks "${want.reason}"`);
    if (want.live !== undefined && r.live?.state !== want.live) problems.push(`sweep row ${key}: live ${r.live?.state}, expected ${want.live}`);
    for (const c of want.codes ?? []) {
      const [code, status] = c.split(':');
      const f = r.findings.find((x) => x.code === code);
      if (!f) problems.push(`sweep row ${key}: finding ${code} missing`);
      else if (status && f.status !== status) problems.push(`sweep row ${key}: finding ${code} is ${f.status}, expected ${status}`);
    }
  }
  if (expect.allHealthy && (j.rows ?? []).some((r) => r.verdict !== 'healthy')) {
    problems.push(
      `sweep: not every row healthy: ${(j.rows ?? [])
        .filter((r) => r.verdict !== 'healthy')
        .map((r) => `${r.namespace}/${r.name} ${r.verdict} ${r.reason}`)
        .join('; ')}`,
    );
  }
  if (expect.rowCount !== undefined && (j.rows ?? []).length !== expect.rowCount)
    problems.push(`sweep: ${(j.rows ?? []).length} rows, expected ${expect.rowCount}`);
  const notChecked = j.summary?.notChecked ?? [];
  for (const ns of expect.notChecked ?? [])
    if (!notChecked.includes(ns)) problems.push(`sweep: namespace ${ns} should be reported not checked (not checked: ${notChecked.join(', ') || 'none'})`);
  for (const ns of expect.checked ?? [])
    if (notChecked.includes(ns) || !(j.namespaces ?? []).some((n) => n.name === ns && n.status === 'checked'))
      problems.push(`sweep: namespace ${ns} should have been checked`);
  return problems;
}
