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
