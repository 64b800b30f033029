import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/kubernetes/http.js';

async function lines(chunks: readonly string[] | readonly Uint8Array[], max = Number.POSITIVE_INFINITY): Promise<string[]> {
  const enc = new TextEncoder();
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield typeof c === 'string' ? enc.encode(c) : c;
  }
  const out: string[] = [];
  for await (const l of splitLines(source(), max)) out.push(l);
  return out;
}

describe('splitLines', () => {
  it('splits across chunks, drops \\r, keeps a last line without newline', async () => {
    expect(await lines(['a\r\nb', 'c\n', '\nd'])).toEqual(['a', 'bc', '', 'd']);
  });

  it('decodes a UTF-8 character split between chunks', async () => {
    const bytes = new TextEncoder().encode('zé\n');
    expect(await lines([bytes.slice(0, 2), bytes.slice(2)])).toEqual(['zé']);
  });

  it('cuts a line longer than the cap and says how much was left out, then goes on', async () => {
    expect(await lines(['0123', '456789\nnext\n'], 4)).toEqual(['0123 … [line cut at 4 characters; 6 more not shown]', 'next']);
  });

  it('holds at most the cap of an endless line', async () => {
    const chunk = 'x'.repeat(1 << 16);
    const out = await lines([...Array.from({ length: 64 }, () => chunk), '\n'], 1024);
    expect(out).toEqual([`${'x'.repeat(1024)} … [line cut at 1024 characters; ${64 * (1 << 16) - 1024} more not shown]`]);
  });
});
