// The task profiler: task type, complexity and requirements of a request, from several weighted signals
// (as LiteLLM's complexity router weighs its dimensions) rather than one keyword list. Pure; well under a
// millisecond (bench/profile.bench.ts). Measured against a labelled corpus: bench/profile.ts.

import type { GeneratedFile, TaskProfile, TaskType } from "../contract.ts";
import { type ComplexityInput, complexityLevel, complexityScore } from "./profile-complexity.ts";
import { readRequirements } from "./profile-requirements.ts";
import { confidenceOf, pickTaskType, scoreTaskTypes } from "./profile-task-type.ts";
import { readRequest } from "./profile-text.ts";

export interface ProfileInput {
  request: string;
  contextFiles?: GeneratedFile[];
  /** The task type decided elsewhere (the intent call): the requirements and the size are read for it. */
  taskType?: TaskType;
}

/** The task type and requirements of a request, and what its size is read from. */
export function readTask({ request, contextFiles = [], taskType: decided }: ProfileInput) {
  const text = readRequest(request);
  const taskScores = scoreTaskTypes(text, contextFiles.length > 0);
  const taskType = decided ?? pickTaskType(taskScores);
  const { names, touched, restyled } = readRequirements(text, taskType);
  const sizing: ComplexityInput = {
    text,
    taskType,
    requirements: names,
    touched,
    restyled,
  };
  return { taskScores, sizing };
}

export function profileTask(input: ProfileInput): TaskProfile {
  const { taskScores, sizing } = readTask(input);
  const score = complexityScore(sizing);
  return {
    taskType: sizing.taskType,
    complexity: complexityLevel(score),
    complexityScore: score,
    requirements: sizing.requirements,
    taskScores,
    // The rules' own confidence, in what they read.
    taskTypeConfidence: confidenceOf(taskScores, pickTaskType(taskScores)),
    contextFileCount: input.contextFiles?.length ?? 0,
  };
}

/** A typical request of a task type, where there is no request to profile (recommendations, replays):
 * medium complexity, no requirements, no context. */
export function typicalProfile(taskType: TaskType): TaskProfile {
  return {
    taskType,
    complexity: "medium",
    complexityScore: 0.5,
    requirements: [],
    taskScores: {},
    taskTypeConfidence: 1,
    contextFileCount: 0,
  };
}
