/** JUnit XML: well-formed whatever the names and messages hold; counts add up. */
import { describe, expect, it } from 'vitest';
import { type AssertionResult, junitXml } from '../../src/check/index.js';
import { countElements, xmlParseError } from '../helpers/xml.js';

const result = (passed: boolean, text: string): AssertionResult => ({
  place: 'expect[0]', description: `a <tricky> & "quoted" 'name' ${text}`, passed, expected: 'x < y & z', measured: `bell\u0007 and\nnewline ${text}`, measuredValue: null,
});

describe('junitXml', () => {
  it('escapes markup, quotes, newlines and control characters', () => {
    const xml = junitXml([
      { name: 'a&b', file: 'dir/<a>.json', results: [result(true, 'one'), result(false, 'two')], error: null },
      { name: 'broken', file: 'b.json', results: [], error: 'worker thread exited with code 1 <oops>' },
    ]);
    expect(xmlParseError(xml)).toBeNull();
    expect(countElements(xml, 'testsuite')).toBe(2);
    expect(countElements(xml, 'testcase')).toBe(3);
    expect(countElements(xml, 'failure')).toBe(1);
    expect(countElements(xml, 'error')).toBe(1);
    expect(xml).toContain('<testsuites name="bodycam check" tests="3" failures="1" errors="1">');
    expect(xml).toContain('name="a&amp;b"');
    expect(xml).not.toContain('\u0007');
  });

  it('is the same text for the same results (no host times)', () => {
    const reports = [{ name: 's', file: 's.json', results: [result(true, 'x')], error: null }];
    expect(junitXml(reports)).toBe(junitXml(reports));
    expect(junitXml(reports)).not.toMatch(/time=|timestamp=/);
  });

  it('detects a malformed document (the checker itself can fail)', () => {
    expect(xmlParseError('<a><b></a>')).not.toBeNull();
  });
});
