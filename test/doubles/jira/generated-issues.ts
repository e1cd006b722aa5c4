import type { DoublePerson, DoubleProject } from './double-issues.js';
import type { JiraDouble } from './jira-double.js';

export interface GeneratedIssuesOptions {
  count: number;
  /** Status changes per issue; 12 unless told. */
  historiesPerIssue?: number;
  /** Every n-th issue gets `longHistories` changes, past the inline cut. */
  longChangelogEvery?: number;
  longHistories?: number;
  projects?: DoubleProject[];
  /** The first issue's creation; the others follow, 30 minutes apart. */
  start?: number;
}

const workflow = ['1', '3', '10100', '10101'];

const people: DoublePerson[] = [
  { id: '5b10a2844c20165700ede21g', displayName: 'Ana Ortega' },
  { id: '5b109f2e9729b51b54dc274d', displayName: 'Bo Lindqvist' },
  { id: '5d53f3cbc6b9320d9ea5bdc2', displayName: 'Chidi Okafor' },
];

export const generatedProjects: DoubleProject[] = [
  { id: '10000', key: 'ACME', name: 'Acme Delivery' },
  { id: '10001', key: 'OPS', name: 'Operations' },
];

/**
 * Fills the double with a deterministic dataset for benchmarks: issues
 * walking the workflow back and forth, with assignees, priorities,
 * resolutions and the odd long changelog. Returns the ids in order.
 */
export function addGeneratedIssues(
  double: JiraDouble,
  options: GeneratedIssuesOptions,
): string[] {
  const histories = options.historiesPerIssue ?? 12;
  const projects = options.projects ?? generatedProjects;
  const start = options.start ?? Date.parse('2025-01-01T08:00:00Z');
  const ids: string[] = [];

  for (let n = 0; n < options.count; n += 1) {
    const long =
      options.longChangelogEvery !== undefined &&
      n % options.longChangelogEvery === 0;
    const changes = long ? (options.longHistories ?? 150) : histories;
    const created = start + n * 30 * 60_000;
    const issue = double.issues.add({
      project: projects[n % projects.length],
      summary: `Generated issue ${n}`,
      created,
      assignee: people[n % people.length],
      issueType:
        n % 5 === 0
          ? { id: '10004', name: 'Bug' }
          : { id: '10001', name: 'Story' },
      priority: { id: String(1 + (n % 5)), name: 'Medium' },
    });
    walkWorkflow(double, issue.id, created, changes);
    ids.push(issue.id);
  }

  return ids;
}

/** Forward through the workflow, back a step now and then, reopened from Done. */
function walkWorkflow(
  double: JiraDouble,
  id: string,
  created: number,
  changes: number,
): void {
  const issue = double.issues.find(id)!.issue;
  const last = workflow.length - 1;
  let step = 0;
  let at = created;

  for (let change = 0; change < changes; change += 1) {
    const back = step === last || (step > 0 && change % 5 === 4);
    const next = back ? step - 1 : step + 1;
    at += 45 * 60_000;
    issue.histories.push(
      double.issues.history(at, [
        {
          field: 'status',
          from: workflow[step]!,
          fromString: double.statusName(workflow[step]!),
          to: workflow[next]!,
          toString: double.statusName(workflow[next]!),
        },
      ]),
    );
    step = next;
  }

  issue.statusId = workflow[step]!;
  issue.updated = at;
  issue.resolved = step === last ? at : undefined;
}
