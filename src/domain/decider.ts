/**
 * An aggregate's behaviour as three pure functions. `decide` answers a
 * command with the events that follow from it, or throws a DomainError;
 * `evolve` folds one event into the state.
 */
export interface Decider<State, Command, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** Folds a history of events into the state they lead to. */
export function fold<State, Command, Event>(
  decider: Decider<State, Command, Event>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Makes a switch over a union fail to compile when a case is missing. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
