// Which model providers exist and which environment variables configure them: the one place that knows.
// A provider is configured by its API key, or, for local servers with no default address (Ollama,
// vLLM), by its base URL; a model is a candidate only when its provider is configured.

import { createAnthropicProvider } from "./anthropic.ts";
import { createGeminiProvider } from "./gemini.ts";
import { createOpenAICompatibleProvider, type JsonMode } from "./openai-compatible.ts";
import type { Provider } from "./types.ts";

/** The wire protocol a provider speaks. */
export type ProviderKind = "gemini" | "openai-compatible" | "anthropic";

export interface ProviderSetup {
  /** The `provider` column of the model catalog. */
  name: string;
  kind: ProviderKind;
  /** The API key's variable; null for servers that take no key. */
  keyVariable: string | null;
  baseUrlVariable: string;
  /** Null: no default, the provider is configured only when its base URL is set. */
  defaultBaseUrl: string | null;
  /** openai-compatible only: how the server takes a JSON shape. */
  jsonMode?: JsonMode;
}

export const PROVIDER_SETUPS: readonly ProviderSetup[] = [
  {
    name: "gemini",
    kind: "gemini",
    keyVariable: "GEMINI_API_KEY",
    baseUrlVariable: "GEMINI_BASE_URL",
    defaultBaseUrl: "https://generativelanguage.googleapis.com",
  },
  {
    name: "openai",
    kind: "openai-compatible",
    keyVariable: "OPENAI_API_KEY",
    baseUrlVariable: "OPENAI_BASE_URL",
    defaultBaseUrl: "https://api.openai.com/v1",
    jsonMode: "json_schema",
  },
  {
    name: "anthropic",
    kind: "anthropic",
    keyVariable: "ANTHROPIC_API_KEY",
    baseUrlVariable: "ANTHROPIC_BASE_URL",
    defaultBaseUrl: "https://api.anthropic.com",
  },
  {
    name: "deepseek",
    kind: "openai-compatible",
    keyVariable: "DEEPSEEK_API_KEY",
    baseUrlVariable: "DEEPSEEK_BASE_URL",
    defaultBaseUrl: "https://api.deepseek.com",
    jsonMode: "json_object",
  },
  {
    name: "qwen",
    kind: "openai-compatible",
    keyVariable: "DASHSCOPE_API_KEY",
    baseUrlVariable: "DASHSCOPE_BASE_URL",
    defaultBaseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    jsonMode: "json_object",
  },
  {
    name: "ollama",
    kind: "openai-compatible",
    keyVariable: null,
    baseUrlVariable: "OLLAMA_BASE_URL",
    defaultBaseUrl: null,
    jsonMode: "json_schema",
  },
  {
    name: "openrouter",
    kind: "openai-compatible",
    keyVariable: "OPENROUTER_API_KEY",
    baseUrlVariable: "OPENROUTER_BASE_URL",
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    jsonMode: "json_schema",
  },
  {
    name: "vllm",
    kind: "openai-compatible",
    keyVariable: "VLLM_API_KEY",
    baseUrlVariable: "VLLM_BASE_URL",
    defaultBaseUrl: null,
    jsonMode: "json_schema",
  },
];

/** The variable whose presence configures the provider: its key, or its base URL when it has no default. */
export function configuringVariable(setup: ProviderSetup): string {
  return setup.defaultBaseUrl === null || setup.keyVariable === null
    ? setup.baseUrlVariable
    : setup.keyVariable;
}

export interface Env {
  get(name: string): string | undefined;
}

export interface ProviderSettings {
  setup: ProviderSetup;
  apiKey?: string;
  baseUrl: string;
  /** The most of a response body that is read (MAX_PROVIDER_BODY_BYTES). */
  maxBodyBytes?: number;
}

/** The configured providers' settings, in the order of PROVIDER_SETUPS. Empty variables count as unset. */
export function providerSettings(env: Env): ProviderSettings[] {
  const read = (name: string | null) => (name && env.get(name)) || undefined;
  return PROVIDER_SETUPS.flatMap((setup) => {
    if (!read(configuringVariable(setup))) return [];
    const baseUrl = read(setup.baseUrlVariable) ?? setup.defaultBaseUrl!;
    const apiKey = read(setup.keyVariable);
    return [{ setup, baseUrl, ...(apiKey ? { apiKey } : {}) }];
  });
}

const CREATE: Record<ProviderKind, (settings: ProviderSettings) => Provider> = {
  // Gemini and Anthropic are configured only by their key, so it is there.
  gemini: ({ apiKey, baseUrl, maxBodyBytes }) =>
    createGeminiProvider({ apiKey: apiKey!, baseUrl, maxBodyBytes }),
  anthropic: ({ apiKey, baseUrl, maxBodyBytes }) =>
    createAnthropicProvider({ apiKey: apiKey!, baseUrl, maxBodyBytes }),
  "openai-compatible": ({ setup, apiKey, baseUrl, maxBodyBytes }) =>
    createOpenAICompatibleProvider({
      name: setup.name,
      baseUrl,
      apiKey,
      jsonMode: setup.jsonMode!,
      maxBodyBytes,
    }),
};

/** The configured providers by name, undecorated (each request wraps them, decorate.ts). */
export function providersFromEnv(env: Env, maxBodyBytes?: number): Map<string, Provider> {
  return new Map(
    providerSettings(env).map((settings) => [
      settings.setup.name,
      CREATE[settings.setup.kind]({ ...settings, maxBodyBytes }),
    ]),
  );
}
