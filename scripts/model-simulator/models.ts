// How each simulated model behaves: its quality per task type (0–1), its time to first token and its
// output speed. The differences are what the orchestrator has to learn: Pro, Opus and Sonnet write the best
// new apps but slowly, the small and local models are fast and fine for edits and styling but weak on whole
// apps. The simulator knows exactly the catalog's enabled models (tests/simulator-models.test.ts checks it);
// any other id is answered 404, in the protocol's own shape, as a provider answers an unknown model.

export interface SimulatedModel {
  quality: Record<string, number>;
  ttftMs: number;
  tokensPerSecond: number;
}

export const SIMULATED_MODELS: Record<string, SimulatedModel> = {
  "gemini-3.1-pro-preview": {
    quality: {
      generation: 0.94,
      edit: 0.87,
      fix: 0.93,
      refactor: 0.91,
      style: 0.81,
      explain: 0.93,
      test: 0.9,
    },
    ttftMs: 1800,
    tokensPerSecond: 170,
  },
  "gemini-3.8-flash": {
    quality: {
      generation: 0.8,
      edit: 0.89,
      fix: 0.84,
      refactor: 0.8,
      style: 0.89,
      explain: 0.86,
      test: 0.82,
    },
    ttftMs: 600,
    tokensPerSecond: 320,
  },
  "gemini-3.5-flash-lite": {
    quality: {
      generation: 0.48,
      edit: 0.86,
      fix: 0.62,
      refactor: 0.52,
      style: 0.9,
      explain: 0.73,
      test: 0.62,
    },
    ttftMs: 250,
    tokensPerSecond: 650,
  },
  "gpt-6-sol": {
    quality: {
      generation: 0.91,
      edit: 0.88,
      fix: 0.92,
      refactor: 0.9,
      style: 0.84,
      explain: 0.91,
      test: 0.9,
    },
    ttftMs: 600,
    tokensPerSecond: 120,
  },
  "gpt-6-luna": {
    quality: {
      generation: 0.72,
      edit: 0.82,
      fix: 0.74,
      refactor: 0.71,
      style: 0.84,
      explain: 0.8,
      test: 0.73,
    },
    ttftMs: 350,
    tokensPerSecond: 220,
  },
  "claude-opus-5-5": {
    quality: {
      generation: 0.95,
      edit: 0.92,
      fix: 0.95,
      refactor: 0.95,
      style: 0.87,
      explain: 0.92,
      test: 0.93,
    },
    ttftMs: 1400,
    tokensPerSecond: 70,
  },
  "claude-sonnet-5": {
    quality: {
      generation: 0.93,
      edit: 0.91,
      fix: 0.92,
      refactor: 0.93,
      style: 0.86,
      explain: 0.9,
      test: 0.91,
    },
    ttftMs: 900,
    tokensPerSecond: 90,
  },
  "claude-haiku-4-5": {
    quality: {
      generation: 0.76,
      edit: 0.86,
      fix: 0.79,
      refactor: 0.76,
      style: 0.86,
      explain: 0.84,
      test: 0.79,
    },
    ttftMs: 400,
    tokensPerSecond: 200,
  },
  "deepseek-v4-flash": {
    quality: {
      generation: 0.85,
      edit: 0.82,
      fix: 0.86,
      refactor: 0.85,
      style: 0.76,
      explain: 0.84,
      test: 0.83,
    },
    ttftMs: 1100,
    tokensPerSecond: 80,
  },
  "qwen3.7-plus": {
    quality: {
      generation: 0.78,
      edit: 0.8,
      fix: 0.77,
      refactor: 0.76,
      style: 0.78,
      explain: 0.82,
      test: 0.76,
    },
    ttftMs: 600,
    tokensPerSecond: 110,
  },
  "qwen3.6-flash": {
    quality: {
      generation: 0.6,
      edit: 0.74,
      fix: 0.64,
      refactor: 0.62,
      style: 0.77,
      explain: 0.72,
      test: 0.64,
    },
    ttftMs: 300,
    tokensPerSecond: 220,
  },
  "ministral-3:8b": {
    quality: {
      generation: 0.52,
      edit: 0.64,
      fix: 0.53,
      refactor: 0.5,
      style: 0.68,
      explain: 0.64,
      test: 0.52,
    },
    ttftMs: 300,
    tokensPerSecond: 45,
  },
  "qwen3.5:9b": {
    quality: { generation: 0.58, edit: 0.7, fix: 0.6, refactor: 0.56, style: 0.72, explain: 0.7, test: 0.58 },
    ttftMs: 350,
    tokensPerSecond: 40,
  },
  "llama3.2": {
    quality: {
      generation: 0.42,
      edit: 0.58,
      fix: 0.45,
      refactor: 0.42,
      style: 0.62,
      explain: 0.6,
      test: 0.45,
    },
    ttftMs: 200,
    tokensPerSecond: 60,
  },
};

/** The model of an id, or undefined when the simulator does not know it (never an inherited key such as
 * "constructor"). */
export function simulatedModel(id: string): SimulatedModel | undefined {
  return Object.hasOwn(SIMULATED_MODELS, id) ? SIMULATED_MODELS[id] : undefined;
}
