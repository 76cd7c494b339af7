/**
 * Output folder names for several scenarios run at once (`OUT/<name>/`): the scenario file's name
 * without `.json`; where names collide, the parent folder's name is put in front
 * (`street-warning-scenario`), then `-2`, `-3` in input order. Computed over the whole list before
 * sharding, so a scenario has the same folder whatever the shard and the `--jobs`.
 */

function segments(file: string): string[] {
  return file.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
}

function clean(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^\.+/, '');
  return safe === '' ? 'scenario' : safe;
}

/** One folder name per scenario file, unique within the list, in the same order. */
export function outputNames(files: readonly string[]): string[] {
  const base = files.map((file) => clean((segments(file).pop() ?? 'scenario').replace(/\.json$/i, '')));
  const count = (names: readonly string[], name: string) => names.filter((other) => other === name).length;
  const widened = base.map((name, i) => {
    if (count(base, name) === 1) return name;
    const parts = segments(files[i] ?? '');
    const parent = parts[parts.length - 2];
    return parent === undefined || parent === '..' ? name : clean(`${parent}-${name}`);
  });
  const used = new Set<string>();
  return widened.map((name) => {
    let unique = name;
    for (let n = 2; used.has(unique); n += 1) unique = `${name}-${n}`;
    used.add(unique);
    return unique;
  });
}
