/**
 * The blind indexes a work-item observation carries, as the writer makes
 * them (under the tenant's index key): the project key in any case, the
 * issue type name exactly. The analytics filters make the same from what
 * the analyst asks for.
 */
export const projectIndexPurpose = 'work-item-project';
export const issueTypeIndexPurpose = 'work-item-issue-type';

export function projectIndexInput(projectKey: string): string {
  return projectKey.toUpperCase();
}

export function issueTypeIndexInput(issueTypeName: string): string {
  return issueTypeName;
}
