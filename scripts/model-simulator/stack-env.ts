// Which providers the local stack simulates, as lines for its env file: for each, the key `simulated`
// (where the provider takes a key) and a base URL on the simulator. Gemini is simulated whenever
// GEMINI_API_KEY is not set; so is every provider named in SIMULATED_PROVIDERS (comma list, default
// "gemini"; "all": every provider of the registry), except those the environment configures for real (a
// key set, or for Ollama and vLLM a base URL). Real keys are never written.
//
//   deno run --allow-env scripts/model-simulator/stack-env.ts <simulator url>            NAME='value' lines
//   deno run --allow-env scripts/model-simulator/stack-env.ts <simulator url> --summary  one line for people

import {
  configuringVariable,
  type Env,
  PROVIDER_SETUPS,
} from "../../supabase/functions/_shared/providers/registry.ts";
import { BASE_PATHS } from "./server.ts";

export interface StackProviders {
  simulated: string[];
  real: string[];
  /** The env file's settings, SIMULATED_PROVIDERS (the simulated ones, comma-separated) included. */
  variables: Record<string, string>;
}

export function stackProviders(env: Env, simulatorUrl: string): StackProviders {
  const known = PROVIDER_SETUPS.map((setup) => setup.name);
  const named = (env.get("SIMULATED_PROVIDERS") || "gemini").split(",").map((name) => name.trim())
    .filter(Boolean);
  const unknown = named.filter((name) => name !== "all" && !known.includes(name));
  if (unknown.length) {
    throw new Error(
      `SIMULATED_PROVIDERS names unknown providers: ${unknown.join(", ")} (known: all, ${known.join(", ")})`,
    );
  }
  // A key of `simulated` came from a stack env file loaded into the shell, not from a real account.
  const real = PROVIDER_SETUPS.filter((setup) => {
    const value = env.get(configuringVariable(setup));
    return Boolean(value) && value !== "simulated";
  });
  const simulated = PROVIDER_SETUPS.filter((setup) =>
    !real.includes(setup) && (setup.name === "gemini" || named.includes("all") || named.includes(setup.name))
  );
  const variables: Record<string, string> = {};
  for (const setup of simulated) {
    if (setup.keyVariable) variables[setup.keyVariable] = "simulated";
    variables[setup.baseUrlVariable] = `${simulatorUrl}${BASE_PATHS[setup.kind]}`;
  }
  variables.SIMULATED_PROVIDERS = simulated.map((setup) => setup.name).join(",");
  return {
    simulated: simulated.map((setup) => setup.name),
    real: real.map((setup) => setup.name),
    variables,
  };
}

if (import.meta.main) {
  const [simulatorUrl, flag] = Deno.args;
  try {
    const providers = stackProviders(Deno.env, simulatorUrl);
    if (flag === "--summary") {
      const simulated = providers.simulated.length
        ? `SIMULATED ${providers.simulated.join(", ")} at ${simulatorUrl} (outputs labelled simulated)`
        : "none simulated";
      console.log(`${simulated}; real: ${providers.real.join(", ") || "none"}`);
    } else {
      for (const [name, value] of Object.entries(providers.variables)) console.log(`${name}='${value}'`);
    }
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
