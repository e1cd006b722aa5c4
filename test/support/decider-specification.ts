import { expect } from 'chai';

import type { Decider } from '../../src/domain/decider.js';
import { fold } from '../../src/domain/decider.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given a history, when a command arrives, then these events follow, or
 * this typed error is thrown.
 */
export function deciderSpecification<State, Command, Event>(
  decider: Decider<State, Command, Event>,
) {
  return {
    given(history: Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, fold(decider, history));

          return {
            then(expected: Event[]): void {
              expect(decide()).to.deep.equal(expected);
            },
            thenThrows(errorClass: ErrorClass, code?: string): void {
              const assertion = expect(decide).to.throw(errorClass);
              if (code !== undefined) assertion.with.property('code', code);
            },
          };
        },
      };
    },
  };
}
