/**
 * Errors of the token endpoint, answered as OAuth JSON (RFC 6749 section 5.2), not as FHIR
 * OperationOutcomes: token clients are OAuth clients. The description names the problem and
 * never quotes the assertion.
 */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope'

export class OAuthError extends Error {
  override readonly name = 'OAuthError'
  readonly error: OAuthErrorCode

  constructor (error: OAuthErrorCode, description: string) {
    super(description)
    this.error = error
  }

  /** 401 for a client that failed to authenticate (RFC 6749 allows it and it reads clearly), else 400. */
  get status (): number {
    return this.error === 'invalid_client' ? 401 : 400
  }

  toJSON (): { error: OAuthErrorCode, error_description: string } {
    return { error: this.error, error_description: this.message }
  }
}
