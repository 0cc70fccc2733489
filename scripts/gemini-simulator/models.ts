// How each simulated model behaves: its quality per task type (0–1), its time to first token and its
// output speed. The differences are what the orchestrator has to learn: Pro writes the best new apps
// but slowly, Flash-Lite is fast and good at small edits and styling but weak on whole apps.

export interface SimulatedModel {
  quality: Record<string, number>;
  ttftMs: number;
  tokensPerSecond: number;
}

export const SIMULATED_MODELS: Record<string, SimulatedModel> = {
  "gemini-2.5-pro": {
    quality: { generation: 0.93, edit: 0.86, fix: 0.92, refactor: 0.9, style: 0.8, explain: 0.93, test: 0.9 },
    ttftMs: 1800,
    tokensPerSecond: 160,
  },
  "gemini-2.5-flash": {
    quality: {
      generation: 0.78,
      edit: 0.88,
      fix: 0.82,
      refactor: 0.78,
      style: 0.88,
      explain: 0.85,
      test: 0.8,
    },
    ttftMs: 600,
    tokensPerSecond: 320,
  },
  "gemini-2.5-flash-lite": {
    quality: { generation: 0.45, edit: 0.85, fix: 0.6, refactor: 0.5, style: 0.9, explain: 0.72, test: 0.6 },
    ttftMs: 250,
    tokensPerSecond: 650,
  },
};
