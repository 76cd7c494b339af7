// Empties dist/ before a build, so a module that was moved or deleted in src/ is not left behind
// in dist/ and shipped in the package (the `files` list takes all of dist/**/*.js).
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
