// `npm test`'s first step: the build (dist/, which the CLI tests run) and the type check of src/,
// test/, scripts/ and bench/ run side by side instead of one after the other. They are two
// independent tsc processes, each single-threaded, so on a machine with two cores this takes the
// longer of the two instead of their sum (about 20 s less on the project's CI machine).
// Each one's output is printed whole, after it ends, so the two never interleave.
import { spawn } from 'node:child_process';

const steps = [
  ['build', ['run', '-s', 'build']],
  ['typecheck', ['run', '-s', 'typecheck']],
];

const results = await Promise.all(steps.map(([name, args]) => new Promise((resolve) => {
  const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.on('error', (error) => resolve({ name, status: 1, output: `${output}${error.message}\n` }));
  child.on('close', (status, signal) => resolve({ name, status: status ?? (signal === null ? 1 : 128), output }));
})));

let failed = false;
for (const { name, status, output } of results) {
  if (output.trim() !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  if (status !== 0) {
    failed = true;
    process.stderr.write(`npm test: the ${name} step failed (exit ${status})\n`);
  }
}
process.exit(failed ? 1 : 0);
