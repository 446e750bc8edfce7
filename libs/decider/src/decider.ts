/**
 * An aggregate as two pure functions: decide turns a command and the current
 * state into new events (or throws a DomainError), evolve folds one event into
 * the state. No I/O: time, ids and randomness arrive inside the command.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State;
  readonly decide: (command: Command, state: State) => Event[];
  readonly evolve: (state: State, event: Event) => State;
}

export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState);
}

/** Decides on a history: the events the command produces against the folded state. */
export function decideOn<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  history: readonly Event[],
  command: Command,
): Event[] {
  return decider.decide(command, fold(decider, history));
}
