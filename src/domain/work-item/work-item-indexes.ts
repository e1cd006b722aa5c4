/**
 * The purposes of the blind indexes a work-item observation carries. The
 * writer computes `projectIndex` from the project key and
 * `issueTypeIndex` from the issue type name, both exactly as Jira gives
 * them, under the tenant's index key; the analytics filters compute the
 * same from what the analyst asks for.
 */
export const projectIndexPurpose = 'work-item.project-key';
export const issueTypeIndexPurpose = 'work-item.issue-type-name';
