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
