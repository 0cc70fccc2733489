// Writes a version 4 copy of a version 5 deno.lock, the way the hosted Edge Runtime reads one
// (supabase/edge-runtime#673): optionalDependencies merged into dependencies, the fields version 4 does
// not know dropped. Deno 2.1 reads only version 4; with this copy it resolves exactly the npm versions
// the committed lockfile pins, and the committed lockfile is never touched.
//   deno run --allow-read --allow-write scripts/lockfile-v4.ts <deno.lock (v5)> <copy (v4)>

interface NpmEntryV5 {
  integrity?: string;
  dependencies?: string[];
  optionalDependencies?: string[];
  [v5Only: string]: unknown; // os, cpu, tarball, deprecated, scripts, bin, optionalPeers
}

export function toLockfileV4(lock: Record<string, unknown>): Record<string, unknown> {
  if (lock.version !== "5") throw new Error(`expected a version 5 lockfile, got version ${lock.version}`);
  const npm = Object.fromEntries(
    Object.entries((lock.npm ?? {}) as Record<string, NpmEntryV5>).map(([id, entry]) => {
      const dependencies = [...(entry.dependencies ?? []), ...(entry.optionalDependencies ?? [])];
      return [id, { integrity: entry.integrity, ...(dependencies.length ? { dependencies } : {}) }];
    }),
  );
  return { ...lock, version: "4", npm };
}

if (import.meta.main) {
  const [from, to] = Deno.args;
  if (!from || !to) throw new Error("usage: lockfile-v4.ts <deno.lock (v5)> <copy (v4)>");
  const lock = JSON.parse(await Deno.readTextFile(from));
  await Deno.writeTextFile(to, JSON.stringify(toLockfileV4(lock), null, 2) + "\n");
}
