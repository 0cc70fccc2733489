// CPU time a set of processes spent (user + system, from /proc), for a figure that a loaded machine does
// not move much: what each request costs in CPU, where wall times wait on other sessions' work too.

const TICK_MS = 10; // Linux reports in clock ticks of 1/100 s

function cpuMsOf(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0; // gone
  }
}

/** A process and its children now (a PostgreSQL postmaster and its backends). */
function withChildren(pid: number): number[] {
  try {
    const children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
    return [pid, ...(children ? children.split(" ").map(Number) : [])];
  } catch {
    return [pid];
  }
}

/** The CPU milliseconds spent by each named group of processes while `work` ran (children counted when
 * they were there at its start or end). */
export async function cpuDuring<T>(
  groups: Record<string, number>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const before = Object.fromEntries(
    Object.entries(groups).map(([name, pid]) => {
      const pids = withChildren(pid);
      return [name, new Map(pids.map((each) => [each, cpuMsOf(each)]))];
    }),
  );
  const result = await work();
  const cpuMs = Object.fromEntries(
    Object.entries(groups).map(([name, pid]) => {
      const start = before[name];
      const pids = new Set([...start.keys(), ...withChildren(pid)]);
      return [
        name,
        [...pids].reduce((sum, each) => sum + Math.max(0, cpuMsOf(each) - (start.get(each) ?? 0)), 0),
      ];
    }),
  );
  return { result, cpuMs };
}

/** The pid a stack part's pid file holds (.local/<stack>/<part>.pid, or PostgreSQL's postmaster.pid). */
export function stackPid(path: string): number {
  return Number(Deno.readTextFileSync(path).split("\n")[0]);
}
