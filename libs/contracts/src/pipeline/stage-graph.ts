// The stage graph of a pipeline: pure functions over depends_on. A cycle is reported as the
// path that closes it ("a -> b -> a"), found by depth-first search in the stages' written order
// so the same spec always names the same cycle.
export interface GraphStage {
  readonly name: string;
  readonly depends_on: readonly string[];
}

/** The first cycle found, as the names along it with the first repeated at the end; or null. */
export function findCycle(stages: readonly GraphStage[]): string[] | null {
  const deps = new Map(stages.map((s) => [s.name, s.depends_on]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    const seen = state.get(name);
    if (seen === 'done') return null;
    if (seen === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const dep of deps.get(name) ?? []) {
      if (!deps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const stage of stages) {
    const cycle = visit(stage.name);
    if (cycle) return cycle;
  }
  return null;
}

/** Every stage `name` depends on, directly or through others (the graph must be acyclic). */
export function ancestorsOf(stages: readonly GraphStage[], name: string): Set<string> {
  const deps = new Map(stages.map((s) => [s.name, s.depends_on]));
  const found = new Set<string>();
  const stack = [...(deps.get(name) ?? [])];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (found.has(next)) continue;
    found.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return found;
}

/** Every stage that depends on `name`, directly or through others, plus `name` itself. */
export function downstreamOf(stages: readonly GraphStage[], name: string): Set<string> {
  const found = new Set<string>([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const stage of stages) {
      if (!found.has(stage.name) && stage.depends_on.some((d) => found.has(d))) {
        found.add(stage.name);
        grew = true;
      }
    }
  }
  return found;
}

/** The stages in an order where each comes after all it depends on (written order among equals). */
export function topologicalOrder(stages: readonly GraphStage[]): string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < stages.length) {
    const ready = stages.find((s) => !placed.has(s.name) && s.depends_on.every((d) => placed.has(d)));
    if (!ready) throw new Error(`stage graph has a cycle: ${(findCycle(stages) ?? []).join(' -> ')}`);
    placed.add(ready.name);
    order.push(ready.name);
  }
  return order;
}
