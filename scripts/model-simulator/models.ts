// How each simulated model behaves: its quality per task type (0–1), its time to first token and its
// output speed. The differences are what the orchestrator has to learn: Pro and Claude write the best new
// apps but slowly, the small and local models are fast and fine for edits and styling but weak on whole apps.

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
  "gpt-4o": {
    quality: {
      generation: 0.88,
      edit: 0.86,
      fix: 0.87,
      refactor: 0.86,
      style: 0.84,
      explain: 0.9,
      test: 0.86,
    },
    ttftMs: 500,
    tokensPerSecond: 110,
  },
  "gpt-4o-mini": {
    quality: { generation: 0.72, edit: 0.8, fix: 0.72, refactor: 0.7, style: 0.82, explain: 0.8, test: 0.72 },
    ttftMs: 400,
    tokensPerSecond: 180,
  },
  "claude-3-5-sonnet-20241022": {
    quality: { generation: 0.92, edit: 0.9, fix: 0.91, refactor: 0.92, style: 0.86, explain: 0.9, test: 0.9 },
    ttftMs: 900,
    tokensPerSecond: 80,
  },
  "deepseek-chat": {
    quality: {
      generation: 0.84,
      edit: 0.82,
      fix: 0.85,
      refactor: 0.84,
      style: 0.76,
      explain: 0.84,
      test: 0.82,
    },
    ttftMs: 1200,
    tokensPerSecond: 60,
  },
  "qwen-plus": {
    quality: {
      generation: 0.76,
      edit: 0.78,
      fix: 0.75,
      refactor: 0.74,
      style: 0.76,
      explain: 0.8,
      test: 0.74,
    },
    ttftMs: 600,
    tokensPerSecond: 100,
  },
  "qwen-turbo": {
    quality: { generation: 0.6, edit: 0.72, fix: 0.62, refactor: 0.6, style: 0.75, explain: 0.7, test: 0.62 },
    ttftMs: 300,
    tokensPerSecond: 200,
  },
  "mistral": {
    quality: { generation: 0.5, edit: 0.62, fix: 0.5, refactor: 0.48, style: 0.66, explain: 0.62, test: 0.5 },
    ttftMs: 300,
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
