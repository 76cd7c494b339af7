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

/** One `<testsuite>` of a JUnit document: its attributes and what it really holds. */
export interface JunitSuite {
  readonly name: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  /** `<testcase>` elements inside it, and the `<failure>`/`<error>` elements inside those. */
  readonly testcases: number;
  readonly failed: number;
  readonly errored: number;
  /** The `name` of each testcase. */
  readonly cases: readonly string[];
}

const SUITES_PY = `
import sys, json, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
out = []
for s in d.getElementsByTagName('testsuite'):
    cases = s.getElementsByTagName('testcase')
    out.append({'name': s.getAttribute('name'), 'tests': int(s.getAttribute('tests')), 'failures': int(s.getAttribute('failures')),
      'errors': int(s.getAttribute('errors')), 'testcases': len(cases), 'failed': len(s.getElementsByTagName('failure')),
      'errored': len(s.getElementsByTagName('error')), 'cases': [c.getAttribute('name') for c in cases]})
print(json.dumps(out))
`;

/** The suites of a JUnit document, read with Python's parser (so a malformed document throws). */
export function junitSuites(xml: string): JunitSuite[] {
  const result = spawnSync('python3', ['-c', SUITES_PY], { input: xml, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`not well-formed JUnit: ${result.stderr.trim().split('\n').pop() ?? ''}`);
  return JSON.parse(result.stdout) as JunitSuite[];
}
