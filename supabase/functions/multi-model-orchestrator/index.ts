// Placeholder until the orchestration pipeline lands: answers CORS preflight and says it is not ready.
Deno.serve((request) => {
  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "authorization, x-client-info, apikey, content-type",
  };
  if (request.method === "OPTIONS") return new Response("ok", { headers: cors });
  return Response.json({ error: { code: "not_implemented", message: "the orchestrator is not built yet" } }, {
    status: 501,
    headers: cors,
  });
});
