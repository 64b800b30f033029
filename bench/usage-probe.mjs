// Loaded with `node --import` into a benchmarked step (NODE_OPTIONS): when the step exits, writes
// its CPU time and peak resident set to BENCH_USAGE_FILE. The kernel's own counters, so the step
// measures itself without a sampler that could miss a short peak.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024 }));
  });
}
