/** JUnit XML: well-formed whatever the names and messages hold; counts add up. */
import { describe, expect, it } from 'vitest';
import { type AssertionResult, junitXml } from '../../src/check/index.js';
import { countElements, junitSuites, xmlParseError } from '../helpers/xml.js';

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

describe('junitXml for a team scenario', () => {
  const teamResult = (passed: boolean, place: string, scope: { device?: string; devices?: string[] }): AssertionResult => ({
    place, description: `${scope.device ?? 'team'} thing`, passed, expected: 'x', measured: 'y', measuredValue: null, ...scope,
  });

  it('has one suite for the cross-device assertions and one per camera (also a camera without assertions); counts add up', () => {
    const xml = junitXml([{
      name: 'team', file: 'team.json', error: null, devices: ['DRD-A', 'DRD-B', 'DRD-C'],
      results: [
        teamResult(true, 'expect[0].startedWithin', { devices: ['DRD-A', 'DRD-B'] }),
        teamResult(false, 'expect[1].triggerSeconds', { device: 'DRD-B' }),
        teamResult(true, 'expect[2]', { device: 'DRD-A' }),
        teamResult(true, 'expect[3].frames', { device: 'DRD-B' }),
      ],
    }, { name: 'solo', file: 'solo.json', error: null, results: [result(true, 'one')] }]);
    const suites = junitSuites(xml);
    expect(suites.map((s) => s.name)).toEqual(['team', 'team/DRD-A', 'team/DRD-B', 'team/DRD-C', 'solo']);
    for (const suite of suites) {
      expect(suite.tests).toBe(suite.testcases);
      expect(suite.failures).toBe(suite.failed);
      expect(suite.errors).toBe(suite.errored);
    }
    expect(suites.map((s) => [s.tests, s.failures])).toEqual([[1, 0], [1, 0], [2, 1], [0, 0], [1, 0]]);
    expect(suites[2]?.cases).toEqual(['expect[1].triggerSeconds: DRD-B thing', 'expect[3].frames: DRD-B thing']);
    expect(xml).toContain('<testsuites name="bodycam check" tests="5" failures="1" errors="0">');
  });

  it('puts a team run\'s error in the scenario\'s own suite', () => {
    const suites = junitSuites(junitXml([{ name: 'team', file: 't.json', error: 'boom', devices: ['DRD-A'], results: [] }]));
    expect(suites.map((s) => [s.name, s.errors, s.errored])).toEqual([['team', 1, 1], ['team/DRD-A', 0, 0]]);
  });
});
