/**
 * action.yml is the one place defaults are declared (house style §2); the parser's DEFAULTS must
 * agree with it, and every name the code uses must be declared there.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, Input, Output } from '../../src/core/names.js';

interface Manifest {
  inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, { description?: string }>;
}
const manifest = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as Manifest;

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(manifest.inputs).sort()).toEqual(Object.values(Input).sort());
  });

  it('has the same defaults as DEFAULTS (as strings, the way the runner passes them)', () => {
    const declared = Object.fromEntries(
      Object.entries(manifest.inputs).filter(([, i]) => i.default !== undefined).map(([name, i]) => [name, String(i.default)]),
    );
    expect(declared).toEqual(DEFAULTS);
  });

  it('documents every input and output', () => {
    const undocumented = [...Object.entries(manifest.inputs), ...Object.entries(manifest.outputs)]
      .filter(([, x]) => typeof x.description !== 'string' || x.description.trim() === '')
      .map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it("declares every output the run sets (`jobs` belongs to discovery)", () => {
    const runOutputs = Object.values(Output).filter((name) => name !== Output.jobs);
    expect(Object.keys(manifest.outputs).sort()).toEqual(runOutputs.sort());
  });
});

describe('discover/action.yml', () => {
  const discover = parse(readFileSync(new URL('../../discover/action.yml', import.meta.url), 'utf8')) as Manifest;

  it('declares only inputs the code reads, auth-type among them, with the same defaults as DEFAULTS', () => {
    expect(Object.keys(discover.inputs)).toContain(Input.authType);
    for (const [name, input] of Object.entries(discover.inputs)) {
      expect(Object.values(Input)).toContain(name);
      expect({ name, default: input.default === undefined ? undefined : String(input.default as string | number | boolean) }).toEqual({ name, default: DEFAULTS[name as keyof typeof DEFAULTS] });
    }
  });
});
