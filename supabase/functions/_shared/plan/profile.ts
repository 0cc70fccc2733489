// The task profiler: task type, complexity and requirements of a request, from several weighted signals
// (as LiteLLM's complexity router weighs its dimensions) rather than one keyword list. Pure; well under a
// millisecond (bench/profile.bench.ts). Measured against a labelled corpus: bench/profile.ts.

import type { GeneratedFile, TaskProfile, TaskType } from "../contract.ts";
import { complexityLevel, complexityScore } from "./profile-complexity.ts";
import { readRequirements } from "./profile-requirements.ts";
import { confidenceOf, pickTaskType, scoreTaskTypes } from "./profile-task-type.ts";
import { readRequest } from "./profile-text.ts";

export interface ProfileInput {
  request: string;
  contextFiles?: GeneratedFile[];
}

export function profileTask({ request, contextFiles = [] }: ProfileInput): TaskProfile {
  const text = readRequest(request);
  const taskScores = scoreTaskTypes(text, contextFiles.length > 0);
  const taskType = pickTaskType(taskScores);
  const { names: requirements, touched, restyled } = readRequirements(text, taskType);
  // What a restyle restyles is part of its scope, though not required of the result.
  const score = complexityScore(text, taskType, [...requirements, ...restyled], touched, contextFiles.length);
  return {
    taskType,
    complexity: complexityLevel(score),
    complexityScore: score,
    requirements,
    taskScores,
    taskTypeConfidence: confidenceOf(taskScores, taskType),
    contextFileCount: contextFiles.length,
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
