import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../engine/protocol/index.js';
import { adviceFor, codeSpans } from '../../renderer/src/components/error-advice.js';

describe('error advice', () => {
  it('tells what to do next for every error code', () => {
    for (const code of ERROR_CODES) {
      const advice = adviceFor(code);
      expect(advice.title.length).toBeGreaterThan(0);
      expect(advice.next).toMatch(/\.$/);
    }
  });

  it('marks commands in backticks as code', () => {
    expect(codeSpans('Run `whittle info FILE` to see.')).toEqual([
      { text: 'Run ', code: false },
      { text: 'whittle info FILE', code: true },
      { text: ' to see.', code: false },
    ]);
    expect(codeSpans('plain')).toEqual([{ text: 'plain', code: false }]);
  });
});
