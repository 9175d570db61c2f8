-- Client assertion ids (`jti`) already used at the token endpoint, kept until the assertion
-- expires, so a replayed assertion is refused by every gateway process sharing the database.
CREATE TABLE auth_used_jti (
  client_id text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);

CREATE INDEX auth_used_jti_expires_at ON auth_used_jti (expires_at);
