/**
 * Keyed digests for equality lookups on values that are stored encrypted.
 * Equal values give equal digests under one key and one purpose; without
 * the key, a digest says nothing about its value.
 */
export interface BlindIndex {
  /** Under the tenant's own index key: gone when the tenant is shredded. */
  ofTenantValue(
    tenantId: string,
    purpose: string,
    value: string,
  ): Promise<string>;

  /**
   * Under the service's index key, for what is looked up before a tenant
   * is known: the tenant's slug at login.
   */
  ofServiceValue(purpose: string, value: string): Promise<string>;
}
