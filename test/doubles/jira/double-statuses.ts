/** Jira's status categories, as `/status` nests them. */
const categories = {
  undefined: {
    id: 1,
    key: 'undefined',
    colorName: 'medium-gray',
    name: 'No Category',
  },
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
  indeterminate: {
    id: 4,
    key: 'indeterminate',
    colorName: 'yellow',
    name: 'In Progress',
  },
} as const;

export type CategoryKey = keyof typeof categories;

export interface DoubleStatus {
  id: string;
  name: string;
  category: CategoryKey;
}

export const defaultStatuses: DoubleStatus[] = [
  { id: '1', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10100', name: 'In Review', category: 'indeterminate' },
  { id: '10101', name: 'Done', category: 'done' },
  { id: '10102', name: 'Parked', category: 'undefined' },
];

/** A status as the REST API shows it, alone or inside an issue. */
export function renderStatus(status: DoubleStatus, apiUrl: string): object {
  const category = categories[status.category];

  return {
    self: `${apiUrl}/status/${status.id}`,
    description: '',
    iconUrl: `${apiUrl.replace(/\/rest\/api\/\d$/, '')}/images/icons/statuses/generic.png`,
    name: status.name,
    id: status.id,
    statusCategory: {
      self: `${apiUrl}/statuscategory/${category.id}`,
      ...category,
    },
  };
}
