// Migrations are append-only: a project that already ran `db push` never sees an edited migration. The
// manifest (supabase/migrations.sha256, `sha256sum` format) lists every landed migration with its sum;
// this check fails when a listed file changed or disappeared, or when a migration not yet listed sorts
// before the last listed one. `--seal` appends the sums of the new ones (do that when they land).
//
//   deno run --allow-read --allow-write scripts/check-migrations.ts [--seal] [<supabase folder>]

const folder = Deno.args.find((arg) => !arg.startsWith("--"));
const ROOT = folder
  ? new URL(`file://${Deno.realPathSync(folder)}/`)
  : new URL("../supabase/", import.meta.url);
const MANIFEST = new URL("migrations.sha256", ROOT);
const MIGRATIONS = new URL("migrations/", ROOT);

async function sha256(url: URL): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(url));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const listed = (await Deno.readTextFile(MANIFEST)).trim().split("\n").filter(Boolean).map((line) => {
  const [sum, path] = line.split(/\s+\*?/);
  return { sum, name: path.replace(/^migrations\//, "") };
});
const present = [...Deno.readDirSync(MIGRATIONS)].map((entry) => entry.name).filter((name) =>
  name.endsWith(".sql")
).sort();

const problems: string[] = [];
for (const { sum, name } of listed) {
  if (!present.includes(name)) problems.push(`${name} is listed but gone: landed migrations stay`);
  else if (await sha256(new URL(name, MIGRATIONS)) !== sum) {
    problems.push(`${name} changed after it landed: add a new migration instead`);
  }
}
const last = listed.map((entry) => entry.name).sort().at(-1) ?? "";
const unlisted = present.filter((name) => !listed.some((entry) => entry.name === name));
for (const name of unlisted.filter((name) => name < last)) {
  problems.push(`${name} sorts before the last landed migration (${last}): give it a later timestamp`);
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`migrations: ${problem}`);
  Deno.exit(1);
}
if (Deno.args.includes("--seal")) {
  const lines = await Promise.all(
    unlisted.map(async (name) => `${await sha256(new URL(name, MIGRATIONS))}  migrations/${name}`),
  );
  if (lines.length > 0) await Deno.writeTextFile(MANIFEST, `${lines.join("\n")}\n`, { append: true });
  console.log(`sealed ${lines.length} migration(s)`);
} else {
  console.log(`${listed.length} landed migrations unchanged, ${unlisted.length} new`);
}
