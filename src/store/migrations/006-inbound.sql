-- Inbound payloads (POST /inbound/<mapping>, docs/mappings.md).
-- One receipt per (mapping, idempotency key): the unique key is what makes two identical
-- requests at the same moment store once. The second waits on the first's uncommitted row,
-- then finds it and answers with the first's response.
CREATE TABLE inbound_receipt (
  mapping text NOT NULL,
  -- 'key:<Idempotency-Key header>' or 'sha256:<hex of the payload>'
  idempotency_key text NOT NULL,
  payload_sha256 text NOT NULL,
  status integer NOT NULL,
  -- The transaction-response Bundle the first request was answered with (JSON).
  response text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (mapping, idempotency_key)
);

-- Every payload that failed, kept for replay once the mapping is fixed. The payload and the
-- outcome it got are sealed together with AES-256-GCM (`sealed`); the other columns are the
-- metadata the list shows and hold no personal data.
CREATE TABLE inbound_dead_letter (
  id uuid PRIMARY KEY,
  mapping text NOT NULL,
  sender text NOT NULL,
  idempotency_key text NOT NULL,
  payload_sha256 text NOT NULL,
  payload_bytes integer NOT NULL,
  status integer NOT NULL,
  category text NOT NULL,
  issue_count integer NOT NULL,
  sealed text NOT NULL,
  received_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  last_attempt_at timestamptz NOT NULL,
  replayed_at timestamptz,
  replay_location text
);

CREATE INDEX inbound_dead_letter_received ON inbound_dead_letter (received_at DESC, id);
