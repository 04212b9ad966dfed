// The diagnosis layer: Finding[] (+ Facts) -> Diagnosis, and the exit code it maps to.
export { diagnose, RULES } from './diagnose.js';
export { exitCodeFor, exitCodeForSweep } from './exit-code.js';
export type { Rule, Conclusion, Ctx } from './context.js';
