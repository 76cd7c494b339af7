// Preloaded by the benchmark (NODE_OPTIONS=--import) into the CLI it runs as a child: at exit, it
// writes the process's peak resident memory (the kernel's ru_maxrss, not a sample) and CPU time
// to $BODYCAM_BENCH_USAGE_FILE. The CLI itself knows nothing of it.
import { writeFileSync } from 'node:fs';

const file = process.env.BODYCAM_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
