// Concurrent clients working through a list, as load arrives: each client starts within `spreadMs` (users
// do not all arrive in the same millisecond), then takes the next item until none are left.

export async function runClients<T, R>(
  concurrency: number,
  items: T[],
  spreadMs: number,
  work: (item: T, client: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async (_, client) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * spreadMs));
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at], client);
    }
  }));
  return results;
}
