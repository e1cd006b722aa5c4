/** A person as the double keeps one; rendered per Jira kind. */
export interface DoublePerson {
  id: string;
  displayName: string;
}

export interface DoubleChange {
  field: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface DoubleHistory {
  id: string;
  /** Epoch milliseconds. */
  created: number;
  author: DoublePerson;
  items: DoubleChange[];
}

export interface DoubleProject {
  id: string;
  key: string;
  name: string;
}

export interface DoubleIssue {
  id: string;
  key: string;
  project: DoubleProject;
  summary: string;
  /** Customer content that sync never asks for. */
  description: string;
  statusId: string;
  issueType: { id: string; name: string };
  created: number;
  updated: number;
  resolved: number | undefined;
  assignee: DoublePerson | undefined;
  priority: { id: string; name: string } | undefined;
  parent: { id: string; key: string } | undefined;
  histories: DoubleHistory[];
}

export type IssueSpec = Partial<Omit<DoubleIssue, 'id' | 'key'>> & {
  id?: string;
  key?: string;
};

export interface StoredIssue {
  issue: DoubleIssue;
  /** Jira's index order: an update reindexes, so ties of `created` swap. */
  indexedAt: number;
  /** Rendered JSON by rendering key; cleared when the issue changes. */
  rendered: Map<string, string>;
}

export const defaultProject: DoubleProject = {
  id: '10000',
  key: 'ACME',
  name: 'Acme Delivery',
};

export const defaultReporter: DoublePerson = {
  id: '5b10ac8d82e05b22cc7d4ef5',
  displayName: 'Mia Krystof',
};

/**
 * The double's issues, kept in the order Jira searches return them for
 * `ORDER BY created ASC`: by `created`, then by index order (Server) or
 * id (Cloud, whose tokens page consistently).
 */
export class DoubleIssues {
  private readonly byId = new Map<string, StoredIssue>();
  private readonly idByKey = new Map<string, string>();
  /** Every project an issue was ever in, as Jira keeps projects. */
  readonly projectKeys = new Set<string>();
  private ordered: StoredIssue[] | undefined;
  private nextId = 10_001;
  private nextIndex = 1;
  private nextHistoryId = 100_001;

  constructor(
    /** How Jira orders equal `created`: Server by index, Cloud by id. */
    private readonly tieBy: 'index' | 'id',
    private readonly now: () => number = Date.now,
  ) {}

  add(spec: IssueSpec = {}): DoubleIssue {
    const id = spec.id ?? String(this.nextId++);
    const project = spec.project ?? defaultProject;
    const created = spec.created ?? this.now();
    const issue: DoubleIssue = {
      key: spec.key ?? `${project.key}-${Number(id) - 10_000}`,
      project,
      summary: `Issue ${id}`,
      description: `The description of issue ${id}`,
      statusId: '1',
      issueType: { id: '10001', name: 'Story' },
      resolved: undefined,
      assignee: undefined,
      priority: { id: '3', name: 'Medium' },
      parent: undefined,
      histories: [],
      ...spec,
      id,
      created,
      updated: spec.updated ?? created,
    };
    this.store(issue);

    return issue;
  }

  /** Changes an issue as Jira would: `updated` moves, the index too. */
  update(idOrKey: string, change: (issue: DoubleIssue) => void): DoubleIssue {
    const stored = this.stored(idOrKey);
    const before = stored.issue.key;
    stored.issue.updated = this.now();
    change(stored.issue);
    this.idByKey.delete(before);
    this.store(stored.issue);

    return stored.issue;
  }

  /** A status change, written to the changelog as Jira writes it. */
  transition(
    idOrKey: string,
    toStatusId: string,
    statusName: (id: string) => string,
  ): DoubleIssue {
    return this.update(idOrKey, (issue) => {
      issue.histories.push(
        this.history(issue.updated, [
          {
            field: 'status',
            from: issue.statusId,
            fromString: statusName(issue.statusId),
            to: toStatusId,
            toString: statusName(toStatusId),
          },
        ]),
      );
      issue.statusId = toStatusId;
    });
  }

  history(created: number, items: DoubleChange[]): DoubleHistory {
    return {
      id: String(this.nextHistoryId++),
      created,
      author: defaultReporter,
      items,
    };
  }

  delete(idOrKey: string): void {
    const stored = this.stored(idOrKey);
    this.byId.delete(stored.issue.id);
    this.idByKey.delete(stored.issue.key);
    this.ordered = undefined;
  }

  find(idOrKey: string): StoredIssue | undefined {
    const id = this.idByKey.get(idOrKey) ?? idOrKey;

    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  inOrder(): StoredIssue[] {
    this.ordered ??= [...this.byId.values()].sort(
      (a, b) =>
        a.issue.created - b.issue.created ||
        (this.tieBy === 'index'
          ? a.indexedAt - b.indexedAt
          : Number(a.issue.id) - Number(b.issue.id)),
    );

    return this.ordered;
  }

  private stored(idOrKey: string): StoredIssue {
    const stored = this.find(idOrKey);
    if (!stored) throw new Error(`the double has no issue ${idOrKey}`);

    return stored;
  }

  private store(issue: DoubleIssue): void {
    this.byId.set(issue.id, {
      issue,
      indexedAt: this.nextIndex++,
      rendered: new Map(),
    });
    this.idByKey.set(issue.key, issue.id);
    this.projectKeys.add(issue.project.key);
    this.ordered = undefined;
  }
}
