"""ledger_post_transfer(): a transfer or a hold in one statement (PostgreSQL only).

(Every join to ledger_account also filters `public_id = ANY(p_accounts)`, so the planner
probes the unique index instead of scanning the accounts.)

The hot path of `api.transfer` and `api.hold`: the same steps and rules as
services._write_locked (lock the accounts in id order, check, insert with ON CONFLICT on
the idempotency key, postings with sequence and running balance, totals), run inside the
database in one round trip — no BEGIN/COMMIT of its own when the caller is not in a
transaction. Business refusals come back as a status, never as an exception, so the
statement never aborts the caller's transaction. Posting and voiding holds and reversals
keep the Python path (they also check the hold / reversal links).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_post_transfer(
    p_public_id uuid, p_key text, p_fingerprint text, p_kind text, p_code text,
    p_description text, p_reference text, p_metadata jsonb, p_expires_at timestamptz,
    p_accounts uuid[], p_debits boolean[], p_amounts bigint[], p_currencies text[],
    OUT status text, OUT new_id bigint, OUT new_created_at timestamptz
) LANGUAGE plpgsql
-- Plan each statement once per connection: the plans do not depend on the values.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_pending boolean := p_kind = 'pending';
    v_wanted integer;
    v_found integer;
    v_mismatch boolean;
    v_closed boolean;
    v_short boolean;
    v_over boolean;
BEGIN
    -- 1. Lock every account of the transfer, in id order (no deadlock, no lost update).
    PERFORM 1 FROM ledger_account WHERE public_id = ANY(p_accounts) ORDER BY id FOR UPDATE;

    -- 2. The rules, in one pass over the locked rows (pending debits counted).
    SELECT
        (SELECT count(DISTINCT u) FROM unnest(p_accounts) AS u),
        count(*),
        bool_or(a.currency <> x.cmin OR a.currency <> x.cmax),
        bool_or(a.closed_at IS NOT NULL),
        bool_or(a.debits_must_not_exceed_credits
            AND a.debits_posted + a.debits_pending + x.d > a.credits_posted + x.c_posted),
        bool_or(a.credits_must_not_exceed_debits
            AND a.credits_posted + a.credits_pending + x.c > a.debits_posted + x.d_posted)
    INTO v_wanted, v_found, v_mismatch, v_closed, v_short, v_over
    FROM ledger_account a JOIN (
        SELECT l.account, min(l.currency) AS cmin, max(l.currency) AS cmax,
            COALESCE(SUM(l.amount) FILTER (WHERE l.debit), 0) AS d,
            COALESCE(SUM(l.amount) FILTER (WHERE NOT l.debit), 0) AS c,
            CASE WHEN v_pending THEN 0 ELSE COALESCE(SUM(l.amount) FILTER (WHERE l.debit), 0) END AS d_posted,
            CASE WHEN v_pending THEN 0 ELSE COALESCE(SUM(l.amount) FILTER (WHERE NOT l.debit), 0) END AS c_posted
        FROM unnest(p_accounts, p_debits, p_amounts, p_currencies) AS l(account, debit, amount, currency)
        GROUP BY l.account
    ) x ON a.public_id = x.account
    WHERE a.public_id = ANY(p_accounts);
    status := CASE
        WHEN v_found <> v_wanted THEN 'account_not_found'
        WHEN v_mismatch THEN 'currency_mismatch'
        WHEN v_closed THEN 'account_closed'
        WHEN v_short THEN 'insufficient_funds'
        WHEN v_over THEN 'limit_exceeded'
    END;
    IF status IS NOT NULL THEN
        -- A retry of a request that already succeeded gets the first result, even when
        -- the funds it used are gone now.
        IF EXISTS (SELECT 1 FROM ledger_transfer WHERE idempotency_key = p_key) THEN
            status := 'exists';
        END IF;
        RETURN;
    END IF;

    -- 3. The transfer, unless the key exists (a retry, or a misuse of the key).
    INSERT INTO ledger_transfer (public_id, idempotency_key, fingerprint, kind, code, description,
        reference, metadata, expires_at, created_at, updated_at)
    VALUES (p_public_id, p_key, p_fingerprint, p_kind, p_code, p_description, p_reference,
        p_metadata, p_expires_at, clock_timestamp(), clock_timestamp())
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, created_at INTO new_id, new_created_at;
    IF new_id IS NULL THEN
        status := 'exists';
        RETURN;
    END IF;

    -- 4. The postings, with each account's sequence and running posted balance (computed
    --    from the totals before they move: one statement, one snapshot), and the totals.
    WITH legs AS (
        SELECT l.*, a.id AS account_id, a.posting_count, a.debits_posted - a.credits_posted AS balance
        FROM unnest(p_accounts, p_debits, p_amounts, p_currencies) WITH ORDINALITY
            AS l(account, debit, amount, currency, ord)
        JOIN ledger_account a ON a.public_id = l.account
        WHERE a.public_id = ANY(p_accounts)
    ), posted AS (
        INSERT INTO ledger_posting (transfer_id, account_id, sequence, is_debit, amount, currency,
            pending, code, balance_after, created_at)
        SELECT new_id, account_id, posting_count + row_number() OVER w, debit, amount, currency,
            v_pending, p_code,
            balance + CASE WHEN v_pending THEN 0
                ELSE SUM(CASE WHEN debit THEN amount ELSE -amount END) OVER w END,
            new_created_at
        FROM legs
        WINDOW w AS (PARTITION BY account_id ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        RETURNING 1
    )
    UPDATE ledger_account a SET
        debits_posted = a.debits_posted + CASE WHEN v_pending THEN 0 ELSE x.d END,
        credits_posted = a.credits_posted + CASE WHEN v_pending THEN 0 ELSE x.c END,
        debits_pending = a.debits_pending + CASE WHEN v_pending THEN x.d ELSE 0 END,
        credits_pending = a.credits_pending + CASE WHEN v_pending THEN x.c ELSE 0 END,
        posting_count = a.posting_count + x.n,
        updated_at = new_created_at
    FROM (
        SELECT account_id,
            COALESCE(SUM(amount) FILTER (WHERE debit), 0) AS d,
            COALESCE(SUM(amount) FILTER (WHERE NOT debit), 0) AS c,
            count(*) AS n
        FROM legs GROUP BY account_id
    ) x
    WHERE a.id = x.account_id;
    status := 'ok';
END;
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION.replace("%", "%%"))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS ledger_post_transfer(uuid, text, text, text, text, text, text, jsonb, "
            "timestamptz, uuid[], boolean[], bigint[], text[])"
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_system_chart")]
    operations = [migrations.RunPython(forwards, backwards)]
