import type { ShapeRule } from '../context.js';

export const rules: Record<string, ShapeRule> = {};
