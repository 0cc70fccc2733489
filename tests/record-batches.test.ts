// How answered requests' records are grouped into writes: alone when a connection is free, together
// while every connection is writing or the last write began less than the linger ago, within a count and
// a size, and one at a time again when the database refuses a batch for a record's data, so only the bad
// record fails; a batch that fails for another reason fails together.

import assert from "node:assert/strict";
import { recordBatcher } from "../supabase/functions/_shared/store/record-batches.ts";
import type { OrchestrationRecords } from "../supabase/functions/_shared/store/records.ts";

const record = (requestId: string, pad = 0) =>
  ({
    selection: {
      request_id: requestId,
      user_id: "u",
      task_type: "edit",
      task_profile: { pad: "x".repeat(pad) },
    },
    attempts: [],
  }) as unknown as OrchestrationRecords;

const idsOf = (texts: string[]) => texts.map((text) => JSON.parse(text).selection.request_id);
const limits = (connections: number, maxRecords = 100, maxChars = 1e6, lingerMs = 0) => ({
  connections,
  maxRecords,
  maxChars,
  lingerMs,
  refusedForData: (error: unknown) => String(error).includes("refused"),
});

/** A write that holds each batch until released, noting what it was given. */
function heldWrites(refuse: (ids: string[]) => string | null = () => null) {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const write = (texts: string[]) => {
    const ids = idsOf(texts);
    batches.push(ids);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    return new Promise<void>((resolve, reject) =>
      pending.push(() => {
        inFlight--;
        const reason = refuse(ids);
        reason ? reject(new Error(`${reason} ${ids}`)) : resolve();
      })
    );
  };
  const releaseAll = async () => {
    while (pending.length) {
      pending.splice(0).forEach((release) => release());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  return { write, batches, releaseAll, mostInFlight: () => mostInFlight };
}

Deno.test("a record is written at once while a connection is free, and those arriving meanwhile together", async () => {
  const writes = heldWrites();
  const record_ = recordBatcher(writes.write, limits(1));
  const first = record_(record("a"));
  assert.deepEqual(writes.batches, [["a"]], "the first goes alone, at once");
  const rest = ["b", "c", "d"].map((id) => record_(record(id)));
  assert.equal(writes.batches.length, 1, "the others wait for the connection");
  await writes.releaseAll();
  await Promise.all([first, ...rest]);
  assert.deepEqual(writes.batches, [["a"], ["b", "c", "d"]]);
});

Deno.test("writes in flight never exceed the connections, and a batch never its count or its size", async () => {
  const writes = heldWrites();
  const record_ = recordBatcher(writes.write, limits(2, 3, 700));
  const all = [
    ...Array.from({ length: 8 }, (_, i) => record_(record(`s${i}`))),
    record_(record("big", 1000)),
    record_(record("after")),
  ];
  await writes.releaseAll();
  await Promise.all(all);
  assert.equal(writes.mostInFlight(), 2);
  assert.deepEqual(writes.batches, [["s0"], ["s1"], ["s2", "s3", "s4"], ["s5", "s6", "s7"], ["big"], [
    "after",
  ]]);
});

Deno.test("records arriving within the linger of the last write's start wait, and go together", async () => {
  const writes = heldWrites();
  const record_ = recordBatcher(writes.write, limits(3, 100, 1e6, 300));
  const first = record_(record("a"));
  assert.deepEqual(writes.batches, [["a"]], "a quiet isolate writes at once");
  const soon = ["b", "c"].map((id) => record_(record(id)));
  assert.equal(writes.batches.length, 1, "connections are free, but the linger has not passed");
  await writes.releaseAll();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(writes.batches.length, 1, "still lingering 20 ms on");
  await new Promise((resolve) => setTimeout(resolve, 330));
  assert.deepEqual(writes.batches, [["a"], ["b", "c"]], "the linger over, those waiting in one write");
  await writes.releaseAll();
  await Promise.all([first, ...soon]);
  await new Promise((resolve) => setTimeout(resolve, 350));
  const later = record_(record("d"));
  assert.deepEqual(writes.batches.at(-1), ["d"], "after a quiet spell, at once again");
  await writes.releaseAll();
  await later;
});

Deno.test("a refused batch is written again one record at a time: only the bad record fails", async () => {
  const writes = heldWrites((ids) => ids.includes("bad") ? "refused" : null);
  const record_ = recordBatcher(writes.write, limits(1));
  const first = record_(record("a"));
  const later = ["b", "bad", "c"].map((id) =>
    record_(record(id)).then(() => "written", (error) => String(error))
  );
  await writes.releaseAll();
  await first;
  assert.deepEqual(await Promise.all(later), ["written", "Error: refused bad", "written"]);
  assert.deepEqual(writes.batches, [["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
});

Deno.test("a batch that fails for another reason fails together, each record once", async () => {
  const writes = heldWrites((ids) => ids.includes("b") ? "connection closed" : null);
  const record_ = recordBatcher(writes.write, limits(1));
  const first = record_(record("a"));
  const later = ["b", "c"].map((id) => record_(record(id)).then(() => "written", (error) => String(error)));
  await writes.releaseAll();
  await first;
  assert.deepEqual(await Promise.all(later), [
    "Error: connection closed b,c",
    "Error: connection closed b,c",
  ]);
  assert.deepEqual(writes.batches, [["a"], ["b", "c"]]);
});

Deno.test("a record that cannot be turned into JSON fails alone, before any write", async () => {
  const writes = heldWrites();
  const record_ = recordBatcher(writes.write, limits(1));
  const circular = record("x") as unknown as { selection: Record<string, unknown> };
  circular.selection.self = circular;
  await assert.rejects(record_(circular as unknown as OrchestrationRecords), TypeError);
  assert.deepEqual(writes.batches, []);
});
