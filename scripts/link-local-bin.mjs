// Links this package's own `bodycam` bin into node_modules/.bin (npm links only dependencies' bins),
// so `npx --no-install bodycam` and tools that look there find the local CLI. Idempotent.
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';

if (existsSync('node_modules')) {
  mkdirSync('node_modules/.bin', { recursive: true });
  rmSync('node_modules/.bin/bodycam', { force: true });
  symlinkSync('../../bin/bodycam', 'node_modules/.bin/bodycam');
}
