import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32, zipStored } from '../../src/core/zip.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Unzips with the system's unzip (Info-ZIP), which checks every CRC, into a fresh directory. */
function unzipWithInfoZip(bytes: Uint8Array): { dir: string; listing: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'a.zip'), bytes);
  const listing = execFileSync('unzip', ['-t', 'a.zip'], { cwd: dir, encoding: 'utf8' });
  execFileSync('unzip', ['-q', '-d', 'out', 'a.zip'], { cwd: dir });
  return { dir: join(dir, 'out'), listing };
}

/** Reads with python's zipfile, a second independent reader. */
function readWithPython(bytes: Uint8Array): Record<string, string> {
  const script = 'import sys,zipfile,io,json\nz=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nassert z.testzip() is None\nprint(json.dumps({i.filename: z.read(i).decode("utf-8") for i in z.infolist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: bytes, encoding: 'utf8' })) as Record<string, string>;
}

describe('crc32', () => {
  it.each([
    ['', 0],
    ['123456789', 0xcbf43926],
    ['apiVersion: batch/v1\nkind: Job\n', zlibCrc32('apiVersion: batch/v1\nkind: Job\n')],
  ])('of %j is %d', (text, expected) => {
    expect(crc32(new TextEncoder().encode(text))).toBe(expected);
  });
});

describe('zipStored', () => {
  it('writes files that Info-ZIP unzip tests and extracts byte for byte', () => {
    const job = JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly-etl-x7k2p' } });
    const binary = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const { dir, listing } = unzipWithInfoZip(zipStored([
      { name: 'job.json', content: job },
      { name: 'überblick.txt', content: 'ünïcödé\nline 2\n' },
      { name: 'bytes.bin', content: binary },
      { name: 'empty', content: '' },
    ]));

    expect(listing).toMatch(/No errors detected/);
    expect(readdirSync(dir).sort()).toEqual(['bytes.bin', 'empty', 'job.json', 'überblick.txt']);
    expect(readFileSync(join(dir, 'job.json'), 'utf8')).toBe(job);
    expect(readFileSync(join(dir, 'überblick.txt'), 'utf8')).toBe('ünïcödé\nline 2\n');
    expect(new Uint8Array(readFileSync(join(dir, 'bytes.bin')))).toEqual(binary);
    expect(readFileSync(join(dir, 'empty'), 'utf8')).toBe('');
  });

  it('is read the same by python zipfile', () => {
    expect(readWithPython(zipStored([{ name: 'a.yaml', content: 'x: 1\n' }, { name: 'b.sh', content: 'echo hi' }])))
      .toEqual({ 'a.yaml': 'x: 1\n', 'b.sh': 'echo hi' });
  });

  it('writes an empty archive unzip accepts', () => {
    expect(readWithPython(zipStored([]))).toEqual({});
  });

  it('is deterministic: the same files give the same bytes', () => {
    const files = [{ name: 'job.json', content: '{}' }];
    expect(Buffer.from(zipStored(files)).toString('base64')).toBe(Buffer.from(zipStored(files)).toString('base64'));
  });

  it('refuses two entries with one name', () => {
    expect(() => zipStored([{ name: 'a', content: '1' }, { name: 'a', content: '2' }])).toThrow('zip: duplicate entry name "a"');
  });
});
