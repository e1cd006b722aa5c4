import { expect } from 'chai';

/**
 * Compares an answer with what was expected: numbers to within 1e-9 (a
 * duration in days is a quotient), everything else exactly, naming the
 * path of the first difference.
 */
export function expectAnswer(actual: unknown, expected: unknown, path = '') {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(actual, path).to.be.closeTo(expected, 1e-9);
    return;
  }
  if (Array.isArray(expected)) {
    expect(actual, path).to.be.an('array');
    expect((actual as unknown[]).length, `${path}.length`).to.equal(
      expected.length,
    );
    expected.forEach((item, i) =>
      expectAnswer((actual as unknown[])[i], item, `${path}[${i}]`),
    );
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    expect(actual, path).to.be.an('object');
    for (const [key, value] of Object.entries(expected)) {
      expectAnswer(
        (actual as Record<string, unknown>)[key],
        value,
        `${path}.${key}`,
      );
    }
    return;
  }
  expect(actual, path).to.equal(expected);
}
