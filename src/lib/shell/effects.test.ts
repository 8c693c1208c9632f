import { describe, expect, it } from 'vitest';
import { analyzeShell } from './analyze';
import { COMMANDS, commandSpec } from './commands';
import { expandGlob, existingPaths, joinCwd, normalizePath, parseArgs, type Arg } from './effects';
import type { Effect, ShellEnv } from './types';

/** The effect of the first command on the last line of `src`. */
async function effectOf(src: string, env?: ShellEnv): Promise<Omit<Effect, 'line' | 'column' | 'command'>> {
  const r = await analyzeShell(src, env);
  const last = src.split('\n').length;
  const e = r.effects.find((x) => x.line === last);
  if (!e) return { reads: [], writes: [], creates: [], deletes: [], symbolic: false };
  const { reads, writes, creates, deletes, symbolic } = e;
  return { reads, writes, creates, deletes, symbolic };
}

const none = { reads: [], writes: [], creates: [], deletes: [] };

describe('redirections', () => {
  it('< reads, > and >> write, <> reads and writes, &> writes', async () => {
    expect(await effectOf('sort < in > out')).toMatchObject({ ...none, reads: ['in'], writes: ['out'] });
    expect(await effectOf('echo x >> log 2> err')).toMatchObject({ ...none, writes: ['log', 'err'] });
    expect(await effectOf('exec 3<> fifo')).toMatchObject({ ...none, reads: ['fifo'], writes: ['fifo'] });
    expect(await effectOf('make &> build.log')).toMatchObject({ ...none, writes: ['build.log'] });
  });

  it('ignores fd duplication, here-documents and /dev/null', async () => {
    expect(await effectOf('cmd 2>&1 >/dev/null <<< "x"')).toMatchObject({ ...none, symbolic: false });
  });

  it('applies to compound commands', async () => {
    expect(await effectOf('while read -r l; do echo "$l"; done < list.txt')).toMatchObject({ reads: ['list.txt'] });
  });
});

describe('the command catalogue', () => {
  it('rm deletes; rmdir deletes', async () => {
    expect(await effectOf('rm -f a b')).toMatchObject({ ...none, deletes: ['a', 'b'] });
    expect(await effectOf('rmdir -p d/e')).toMatchObject({ ...none, deletes: ['d/e'] });
  });

  it('mv reads and deletes sources and creates the destination (also with -t)', async () => {
    expect(await effectOf('mv a b dest/')).toMatchObject({ reads: ['a', 'b'], deletes: ['a', 'b'], creates: ['dest'] });
    expect(await effectOf('mv -t dest a')).toMatchObject({ reads: ['a'], deletes: ['a'], creates: ['dest'] });
  });

  it('cp reads sources and creates the destination', async () => {
    expect(await effectOf('cp -r src1 src2 /backup')).toMatchObject({ ...none, reads: ['src1', 'src2'], creates: ['/backup'] });
  });

  it('ln creates the link; -s does not read the target', async () => {
    expect(await effectOf('ln -s /opt/app/current /srv/app')).toMatchObject({ ...none, creates: ['/srv/app'] });
    expect(await effectOf('ln data.bin hard.bin')).toMatchObject({ ...none, reads: ['data.bin'], creates: ['hard.bin'] });
  });

  it('mkdir and touch create (mode and date values are not paths)', async () => {
    expect(await effectOf('mkdir -p -m 0755 a/b c')).toMatchObject({ ...none, creates: ['a/b', 'c'] });
    expect(await effectOf('touch -d yesterday stamp')).toMatchObject({ ...none, creates: ['stamp'] });
  });

  it('chmod and chown change metadata of all but their first operand', async () => {
    expect(await effectOf('chmod -R 755 bin lib')).toMatchObject({ ...none, writes: ['bin', 'lib'] });
    expect(await effectOf('chown www-data:www-data /var/www')).toMatchObject({ ...none, writes: ['/var/www'] });
    expect(await effectOf('chmod --reference=ref.txt f')).toMatchObject({ ...none, reads: ['ref.txt'], writes: ['f'] });
  });

  it('tee writes its files', async () => {
    expect(await effectOf('echo x | tee -a one two')).toMatchObject({ ...none, writes: ['one', 'two'] });
  });

  it('sed reads its files after the script; sed -i edits them', async () => {
    expect(await effectOf("sed 's/a/b/' in.txt")).toMatchObject({ ...none, reads: ['in.txt'] });
    expect(await effectOf("sed -i 's/a/b/' conf")).toMatchObject({ ...none, reads: ['conf'], writes: ['conf'] });
    expect(await effectOf('sed -e s/a/b/ -e s/c/d/ x y')).toMatchObject({ ...none, reads: ['x', 'y'] });
  });

  it('find reads its roots; -delete and -exec rm delete under them', async () => {
    expect(await effectOf('find /var/tmp -name "*.tmp"')).toMatchObject({ ...none, reads: ['/var/tmp'] });
    expect(await effectOf('find /var/tmp -mtime +7 -delete')).toMatchObject({ ...none, reads: ['/var/tmp'], deletes: ['/var/tmp/**'] });
    expect(await effectOf('find . -name "*.o" -exec rm -f {} +')).toMatchObject({ ...none, reads: ['.'], deletes: ['**'] });
  });

  it('tar -c writes the archive from its operands; -x reads it into -C; -t reads it', async () => {
    expect(await effectOf('tar -czf site.tgz -C /srv site')).toMatchObject({ ...none, reads: ['/srv/site'], writes: ['site.tgz'] });
    expect(await effectOf('tar xzf site.tgz -C /restore')).toMatchObject({ ...none, reads: ['site.tgz'], creates: ['/restore/**'] });
    expect(await effectOf('tar tf site.tgz')).toMatchObject({ ...none, reads: ['site.tgz'] });
  });

  it('curl -o writes the file; -O creates the URL\'s basename; wget likewise', async () => {
    expect(await effectOf('curl -fsSL -o tool.tgz https://example.com/t.tgz')).toMatchObject({ ...none, writes: ['tool.tgz'] });
    expect(await effectOf('curl -LO https://example.com/pkg/tool-1.2.tgz')).toMatchObject({ ...none, creates: ['tool-1.2.tgz'] });
    expect(await effectOf('wget -q https://example.com/a/b.zip')).toMatchObject({ ...none, creates: ['b.zip'] });
  });

  it('dd reads if= and writes of=', async () => {
    expect(await effectOf('dd if=disk.img of=/backup/disk.img bs=1M')).toMatchObject({ ...none, reads: ['disk.img'], writes: ['/backup/disk.img'] });
    expect(await effectOf('dd if=/dev/zero of=swap bs=1M count=10')).toMatchObject({ ...none, writes: ['swap'] });
  });

  it('text utilities read their file operands, skipping patterns and programs', async () => {
    expect(await effectOf("grep -n 'x' a b")).toMatchObject({ ...none, reads: ['a', 'b'] });
    expect(await effectOf('grep -e x -f pats a')).toMatchObject({ ...none, reads: ['pats', 'a'] });
    expect(await effectOf("awk -F: '{print $1}' /etc/passwd")).toMatchObject({ ...none, reads: ['/etc/passwd'] });
    expect(await effectOf('sort -k2 -o out in')).toMatchObject({ ...none, reads: ['in'], writes: ['out'] });
    expect(await effectOf('uniq in out')).toMatchObject({ ...none, reads: ['in'], writes: ['out'] });
    expect(await effectOf('head -n 5 a')).toMatchObject({ ...none, reads: ['a'] });
    expect(await effectOf('tr a b')).toMatchObject({ ...none });
  });

  it('rsync --delete deletes under the destination', async () => {
    expect(await effectOf('rsync -a --delete src/ /mirror/')).toMatchObject({ ...none, reads: ['src'], creates: ['/mirror'], deletes: ['/mirror/**'] });
  });

  it('commands not in the catalogue have no effects besides redirections', async () => {
    expect(await effectOf('frobnicate a b > out')).toMatchObject({ ...none, writes: ['out'] });
  });

  it('sees through sudo, env and command', async () => {
    expect(await effectOf('sudo -u root rm -rf /opt/old')).toMatchObject({ ...none, deletes: ['/opt/old'] });
    expect(await effectOf('env LC_ALL=C sort -o x y')).toMatchObject({ ...none, reads: ['y'], writes: ['x'] });
  });

  it('every catalogue entry is documented', () => {
    for (const c of COMMANDS) expect(c.summary.length).toBeGreaterThan(10);
    expect(commandSpec('/bin/rm')?.name).toBe('rm');
    expect(commandSpec('egrep')?.name).toBe('grep');
  });
});

describe('symbolic paths', () => {
  it('keeps expansions symbolic and fills in what is known', async () => {
    expect(await effectOf('rm -rf "$DIR/"*')).toMatchObject({ deletes: ['$DIR/*'], symbolic: true });
    expect(await effectOf('root=/srv\nday=$(date +%F)\nmkdir -p "$root/$day/logs"')).toMatchObject({ creates: ['/srv/$(date +%F)/logs'], symbolic: true });
  });

  it('follows cd for relative paths', async () => {
    expect(await effectOf('cd /srv/app || exit\nrm -rf build')).toMatchObject({ deletes: ['/srv/app/build'], symbolic: false });
    expect(await effectOf('cd "$APP" || exit\nrm -rf build')).toMatchObject({ deletes: ['$APP/build'] });
  });

  it('records effects inside functions and command substitutions', async () => {
    const r = await analyzeShell('clean() {\n  rm -rf /tmp/x\n}\nclean\nn=$(wc -l < data.txt)');
    expect(r.effects.map((e) => [e.line, e.deletes, e.reads])).toEqual([
      [2, ['/tmp/x'], []],
      [5, [], ['data.txt']]
    ]);
  });
});

describe('argument and path helpers', () => {
  const args = (...xs: string[]): Arg[] => xs.map((x, i) => ({ text: x, lit: x, pos: i, end: i, glob: false }));

  it('parses clustered short options, option values and --', () => {
    const p = parseArgs(args('-rfn5', '--output=o', '-t', 'dir', '--', '-x', 'y'), ['-n', '--output', '-t']);
    expect([...p.flags]).toEqual(['-r', '-f', '--output']);
    expect(p.opts.get('-n')?.[0].text).toBe('5');
    expect(p.opts.get('--output')?.[0].text).toBe('o');
    expect(p.opts.get('-t')?.[0].text).toBe('dir');
    expect(p.operands.map((a) => a.text)).toEqual(['-x', 'y']);
  });

  it('normalises and joins paths', () => {
    expect(normalizePath('/a//b/./c/../d/')).toBe('/a/b/d');
    expect(joinCwd('/srv', 'x/../y')).toBe('/srv/y');
    expect(joinCwd('/srv', '/abs')).toBe('/abs');
    expect(joinCwd('/srv', '$D/x')).toBe('$D/x');
    expect(joinCwd('', 'rel')).toBe('rel');
  });

  it('expands globs against the files that exist', () => {
    const existing = existingPaths(['/home/u/a.log', '/home/u/b.log', '/home/u/.hidden.log', '/home/u/sub/c.log']);
    expect(expandGlob('/home/u/*.log', existing)).toEqual(['/home/u/a.log', '/home/u/b.log']);
    expect(expandGlob('/home/u/*', existing)).toEqual(['/home/u/a.log', '/home/u/b.log', '/home/u/sub']);
    expect(expandGlob('/nope/*', existing)).toEqual(['/nope/*']);
    expect(expandGlob('/*', existing)).toEqual(['/home']);
  });
});
