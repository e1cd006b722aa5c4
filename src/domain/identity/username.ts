import { z } from 'zod';

/**
 * Usernames are compared without regard to case or surrounding blanks, so
 * `Alice` and `alice ` are one account. Letters, digits and the characters
 * of an email address are allowed.
 */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@+-]{0,127}$/, {
    error: 'letters, digits and . _ @ + -, at most 128 characters',
  });

export const minimumPasswordLength = 12;

/**
 * Why a new password is refused, or undefined when it is acceptable.
 * Length is counted in code points, so that a password of emoji is not
 * mistaken for a long one.
 */
export function passwordProblem(
  password: string,
  username: string,
): string | undefined {
  if ([...password].length < minimumPasswordLength) {
    return `must be at least ${minimumPasswordLength} characters`;
  }
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return 'must not be the username';
  }

  return undefined;
}
