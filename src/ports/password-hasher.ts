/**
 * Turns passwords into slow, salted hashes and checks them. Both calls are
 * deliberately expensive; implementations bound how many run at once.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash it cannot read. */
  verify(hash: string, password: string): Promise<boolean>;
}
