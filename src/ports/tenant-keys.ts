/**
 * The lifecycle of a tenant's keys, as tenant administration sees it.
 * Keys exist before the tenant's first event is written; deleting them
 * makes every copy of the tenant's data unreadable.
 */
export interface TenantKeys {
  /** Safe to repeat: keys that exist are kept. */
  createTenantKeys(tenantId: string): Promise<void>;

  /** Answers how many keys were deleted; none when already shredded. */
  deleteTenantKeys(tenantId: string): Promise<number>;
}
