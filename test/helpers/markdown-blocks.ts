/**
 * Fenced code blocks of a Markdown file, with their info string split into a language and tags:
 * ```sh no-run  →  { language: 'sh', tags: ['no-run'] }. The README and docs tests run them.
 */
import { readFileSync } from 'node:fs';

/** One fenced block. */
export interface CodeBlock {
  readonly language: string;
  readonly tags: readonly string[];
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** Every fenced block (``` or ~~~) of `file`, in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  let open: { fence: string; info: string; line: number; body: string[] } | null = null;
  lines.forEach((text, index) => {
    if (open === null) {
      const match = /^(```+|~~~+)\s*(.*)$/.exec(text);
      if (match !== null) open = { fence: match[1] ?? '```', info: (match[2] ?? '').trim(), line: index + 1, body: [] };
      return;
    }
    if (text.trim() === open.fence) {
      const [language = '', ...tags] = open.info.split(/\s+/).filter((word) => word !== '');
      blocks.push({ language, tags, code: `${open.body.join('\n')}\n`, line: open.line });
      open = null;
      return;
    }
    open.body.push(text);
  });
  return blocks;
}
