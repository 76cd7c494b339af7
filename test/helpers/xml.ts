/** Checks that XML is well-formed with Python's parser (python3 is on every CI image we use). */
import { spawnSync } from 'node:child_process';

/** Parses `xml` with xml.dom.minidom; returns the parser's error, or null when well-formed. */
export function xmlParseError(xml: string): string | null {
  const result = spawnSync('python3', ['-c', 'import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())'], { input: xml, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`python3 is needed to check XML: ${result.error.message}`);
  return result.status === 0 ? null : result.stderr.trim().split('\n').pop() ?? 'parse error';
}

/** Counts `<name ...>` elements (open or self-closing) in well-formed XML. */
export function countElements(xml: string, name: string): number {
  return (xml.match(new RegExp(`<${name}[\\s>/]`, 'g')) ?? []).length;
}
