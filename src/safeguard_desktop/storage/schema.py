"""The case database schema as a straight chain of migrations.

``MIGRATIONS[n]`` takes a database at ``user_version`` n to n + 1. Each step
runs in one transaction; an existing file is copied aside before the first
step, and a database newer than this program is refused.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the foundation.
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL  -- JSON
    );
    CREATE TABLE inbox_keys (
        id INTEGER PRIMARY KEY,
        public_key BLOB NOT NULL UNIQUE,
        private_key BLOB NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,  -- canonical JSON; never record text
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    -- INSERT OR REPLACE would delete a row without firing the DELETE trigger.
    CREATE TRIGGER audit_log_only_appends BEFORE INSERT ON audit_log
    WHEN NEW.seq <= (SELECT coalesce(max(seq), 0) FROM audit_log)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE concerns (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        submitted_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        submitter TEXT NOT NULL,  -- JSON: name, role, username or null for a guest
        format_version INTEGER NOT NULL,
        body TEXT NOT NULL,  -- JSON of the concern as submitted; never changed
        status TEXT NOT NULL DEFAULT 'new'
    );
    CREATE INDEX concerns_submitted_at ON concerns (submitted_at);
    """,
    # 1 -> 2: casework. Children and their links, actions, follow-ups, amendments,
    # decisions, referrals, full-text search. Concerns gain the columns lists and
    # filters need, filled from the stored JSON so nothing is parsed per row.
    """
    ALTER TABLE concerns ADD COLUMN occurred_at TEXT NOT NULL DEFAULT '';
    ALTER TABLE concerns ADD COLUMN child_names TEXT NOT NULL DEFAULT '';
    ALTER TABLE concerns ADD COLUMN categories TEXT NOT NULL DEFAULT '';
    ALTER TABLE concerns ADD COLUMN recorder_name TEXT NOT NULL DEFAULT '';
    ALTER TABLE concerns ADD COLUMN recorder_username TEXT;
    ALTER TABLE concerns ADD COLUMN immediate_danger INTEGER NOT NULL DEFAULT 0;
    UPDATE concerns SET
        occurred_at = coalesce(json_extract(body, '$.occurred_at'), submitted_at),
        child_names = coalesce((SELECT group_concat(json_extract(value, '$.name'), '; ')
                                FROM json_each(body, '$.children')), ''),
        categories = coalesce((SELECT group_concat(value, ',')
                               FROM json_each(body, '$.categories')), ''),
        recorder_name = coalesce(json_extract(submitter, '$.name'), ''),
        recorder_username = json_extract(submitter, '$.username'),
        immediate_danger = coalesce(json_extract(body, '$.immediate_danger'), 0);
    CREATE INDEX concerns_occurred_at ON concerns (occurred_at);
    CREATE INDEX concerns_status ON concerns (status, submitted_at);
    CREATE INDEX concerns_recorder ON concerns (recorder_name);

    CREATE TABLE concern_categories (
        concern_id INTEGER NOT NULL REFERENCES concerns (id),
        category TEXT NOT NULL,
        PRIMARY KEY (category, concern_id)
    ) WITHOUT ROWID;
    INSERT INTO concern_categories (concern_id, category)
        SELECT concerns.id, value FROM concerns, json_each(concerns.body, '$.categories');

    CREATE TABLE children (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        surname_key TEXT NOT NULL,
        given_key TEXT NOT NULL,
        date_of_birth TEXT,
        approximate_age INTEGER,
        details TEXT NOT NULL DEFAULT '{}',  -- JSON: gender, ethnicity, language, address...
        case_owner TEXT NOT NULL DEFAULT '',
        risk_level TEXT NOT NULL DEFAULT 'not_set',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX children_name_key ON children (name_key);
    CREATE INDEX children_surname_key ON children (surname_key);
    CREATE INDEX children_given_key ON children (given_key);
    CREATE INDEX children_date_of_birth ON children (date_of_birth);

    -- One row per child named in a concern; child_id is NULL until the DSL confirms.
    CREATE TABLE concern_children (
        concern_id INTEGER NOT NULL REFERENCES concerns (id),
        position INTEGER NOT NULL,
        child_id INTEGER REFERENCES children (id),
        suggested_child_id INTEGER REFERENCES children (id),
        linked_at TEXT,
        linked_by TEXT,
        PRIMARY KEY (concern_id, position)
    );
    CREATE INDEX concern_children_child ON concern_children (child_id, concern_id);
    CREATE INDEX concern_children_unlinked ON concern_children (concern_id) WHERE child_id IS NULL;
    INSERT INTO concern_children (concern_id, position)
        SELECT concerns.id, CAST(json_each.key AS INTEGER)
        FROM concerns, json_each(concerns.body, '$.children');

    CREATE TABLE household_members (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children (id),
        details TEXT NOT NULL,  -- JSON of domain.children.HouseholdMember
        added_at TEXT NOT NULL,
        removed_at TEXT
    );
    CREATE INDEX household_members_child ON household_members (child_id);
    CREATE TABLE professionals (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children (id),
        details TEXT NOT NULL,  -- JSON of domain.children.Professional
        added_at TEXT NOT NULL,
        removed_at TEXT
    );
    CREATE INDEX professionals_child ON professionals (child_id);

    CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        child_id INTEGER REFERENCES children (id),
        concern_id INTEGER REFERENCES concerns (id),
        kind TEXT NOT NULL,
        occurred_at TEXT NOT NULL,  -- local time; may be backdated
        who TEXT NOT NULL,
        details TEXT NOT NULL,
        outcome TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        decision_id INTEGER
    );
    CREATE INDEX actions_child ON actions (child_id, occurred_at);
    CREATE INDEX actions_concern ON actions (concern_id);

    CREATE TABLE follow_ups (
        id INTEGER PRIMARY KEY,
        child_id INTEGER REFERENCES children (id),
        concern_id INTEGER REFERENCES concerns (id),
        due_on TEXT NOT NULL,
        what TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        done_at TEXT,
        done_by TEXT,
        done_note TEXT
    );
    CREATE INDEX follow_ups_open ON follow_ups (due_on) WHERE done_at IS NULL;
    CREATE INDEX follow_ups_child ON follow_ups (child_id);
    CREATE INDEX follow_ups_concern ON follow_ups (concern_id);

    CREATE TABLE amendments (
        id INTEGER PRIMARY KEY,
        concern_id INTEGER NOT NULL REFERENCES concerns (id),
        field TEXT NOT NULL,
        new_value TEXT NOT NULL,
        reason TEXT NOT NULL,
        amended_at TEXT NOT NULL,
        amended_by TEXT NOT NULL
    );
    CREATE INDEX amendments_concern ON amendments (concern_id);

    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        concern_id INTEGER NOT NULL REFERENCES concerns (id),
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL,
        details TEXT NOT NULL,  -- JSON: danger, LADO, advice, information sharing
        review_on TEXT,
        decided_at TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        decided_by_name TEXT NOT NULL
    );
    CREATE INDEX decisions_concern ON decisions (concern_id);

    CREATE TABLE referrals (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        concern_id INTEGER NOT NULL REFERENCES concerns (id),
        decision_id INTEGER REFERENCES decisions (id),
        kind TEXT NOT NULL,
        content TEXT NOT NULL,  -- JSON of domain.referral.ReferralContent (+ LADO details)
        status TEXT NOT NULL DEFAULT 'draft',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        sent_at TEXT,
        pdf_sha256 TEXT,
        response TEXT,
        closed_at TEXT
    );
    CREATE INDEX referrals_concern ON referrals (concern_id);
    CREATE INDEX referrals_open ON referrals (status) WHERE status != 'closed';

    -- Full-text search over concern text, amendments and child names. Contentless:
    -- the text already lives (encrypted) in concerns; the index keeps only tokens.
    CREATE VIRTUAL TABLE concern_search USING fts5 (
        names, body,
        content = '',
        contentless_delete = 1,
        tokenize = "unicode61 remove_diacritics 2",
        prefix = '2 3'
    );
    -- sg_fold() is registered on every connection (storage/case_database.py).
    INSERT INTO concern_search (rowid, names, body)
        SELECT id, concat_ws(' ', names, sg_fold(names)), concat_ws(' ', body, sg_fold(body))
        FROM (
            SELECT id, child_names AS names,
                   concat_ws(' ', json_extract(body, '$.location'),
                             json_extract(body, '$.observed'),
                             json_extract(body, '$.child_words'),
                             json_extract(body, '$.presentation'),
                             json_extract(body, '$.others_present'),
                             json_extract(body, '$.actions_taken'), recorder_name) AS body
            FROM concerns
        );
    """,
    # 2 -> 3: indexes that let a search pick concern ids without reading concerns' rows,
    # which hold the whole text (storage/concern_search.py; measured by
    # benchmarks/bench_casework.py on 100,000 concerns). An index on id alone lists ids
    # newest first for the unfiltered list at any depth; status alone (not status then
    # submitted_at) keeps each status's ids in id order, so they merge without a sort.
    """
    CREATE INDEX concerns_id ON concerns (id);
    DROP INDEX concerns_status;
    CREATE INDEX concerns_status ON concerns (status);
    """,
    # 3 -> 4: what the data folder cannot be trusted to keep (services/vault_trust.py,
    # services/inbox_ingest.py). Sender keys: every password slot's public key as the
    # database last saw it, so a recorder's seal is checked against a key kept here and
    # not against vault.json. Quarantine: inbox items that did not open, parse, validate
    # or verify, kept whole (sealed) with the reason, never deleted silently.
    """
    CREATE TABLE sender_keys (
        slot_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        username TEXT NOT NULL,
        public_key BLOB NOT NULL,
        added_at TEXT NOT NULL,
        removed_at TEXT
    );
    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL,
        kind TEXT NOT NULL,
        said_sent_at TEXT NOT NULL,  -- as the inbox row said: not to be trusted
        arrived_at TEXT NOT NULL,  -- when ingest found it
        reason TEXT NOT NULL,  -- a code: services/inbox_ingest.py words it
        detail TEXT NOT NULL DEFAULT '',  -- a field or account name; never record text
        inbox_key BLOB NOT NULL,
        sealed BLOB NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        resolution TEXT
    );
    CREATE INDEX quarantine_open ON quarantine (resolved_at, id);
    """,
    # 4 -> 5: a decision and a referral belong to one child named in a concern
    # (concern_children.position), never to the concern: two children in one incident may
    # come from different families. A decision made for the whole concern by an older
    # version becomes each named child's decision, marked as carried over (migrated). A
    # referral about a concern naming one child becomes that child's; one about a concern
    # naming several keeps no child (NULL): if it was sent, it is kept as it was sent; if
    # not, it cannot be signed until a decision is recorded for each child.
    """
    ALTER TABLE decisions ADD COLUMN child_position INTEGER;
    ALTER TABLE decisions ADD COLUMN migrated INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE referrals ADD COLUMN child_position INTEGER;
    INSERT INTO decisions (concern_id, outcome, reason, details, review_on, decided_at,
                           decided_by, decided_by_name, child_position, migrated)
        SELECT d.concern_id, d.outcome, d.reason, d.details, d.review_on, d.decided_at,
               d.decided_by, d.decided_by_name, cc.position, 1
        FROM decisions d
        JOIN concern_children cc ON cc.concern_id = d.concern_id AND cc.position > 0
        WHERE d.child_position IS NULL
        ORDER BY d.id, cc.position;
    UPDATE decisions SET child_position = 0, migrated = 1 WHERE child_position IS NULL;
    UPDATE referrals SET child_position = 0
        WHERE (SELECT count(*) FROM concern_children cc
               WHERE cc.concern_id = referrals.concern_id) = 1;
    CREATE INDEX decisions_child ON decisions (concern_id, child_position);
    """,
    # 5 -> 6: a concern whose recorder said a child was in immediate danger stays at the
    # top of Home until a lead acknowledges it (services/casework.py), with who and when.
    """
    ALTER TABLE concerns ADD COLUMN danger_acknowledged_at TEXT;
    ALTER TABLE concerns ADD COLUMN danger_acknowledged_by TEXT;
    CREATE INDEX concerns_danger_waiting ON concerns (id)
        WHERE immediate_danger = 1 AND danger_acknowledged_at IS NULL;
    """,
    # 6 -> 7: what happens after a referral (services/after_referral.py), each record
    # added beside it: the agency's acknowledgement (date, who, their reference); each
    # outcome, dated, with whether the lead agrees; an escalation under the local
    # resolution policy for each stage of a disagreement, with its result once known. A
    # follow-up may belong to a referral (the chase for an outcome) or an escalation, and
    # closes itself, with a note, when a later record makes it moot. An answer recorded
    # as free text by an earlier version stays in referrals.response.
    """
    CREATE TABLE referral_acknowledgements (
        id INTEGER PRIMARY KEY,
        referral_id INTEGER NOT NULL REFERENCES referrals (id),
        acknowledged_on TEXT NOT NULL,  -- a date
        acknowledged_by TEXT NOT NULL,  -- who at the agency
        their_reference TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    );
    CREATE INDEX referral_acknowledgements_referral ON referral_acknowledgements (referral_id);
    CREATE TABLE referral_outcomes (
        id INTEGER PRIMARY KEY,
        referral_id INTEGER NOT NULL REFERENCES referrals (id),
        outcome TEXT NOT NULL,  -- domain.referral_outcome.AgencyOutcome
        decided_on TEXT NOT NULL,  -- a date
        note TEXT NOT NULL,  -- their reason for no further action, or what they said
        conference_result TEXT,  -- an initial child protection conference's
        lead_agrees INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    );
    CREATE INDEX referral_outcomes_referral ON referral_outcomes (referral_id);
    CREATE TABLE escalations (
        id INTEGER PRIMARY KEY,
        referral_id INTEGER NOT NULL REFERENCES referrals (id),
        outcome_id INTEGER REFERENCES referral_outcomes (id),  -- the decision challenged
        stage INTEGER NOT NULL,
        to_whom TEXT NOT NULL,
        raised_on TEXT NOT NULL,  -- a date
        reason TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        result TEXT,  -- NULL while the stage is open
        result_on TEXT,
        result_recorded_at TEXT,
        result_recorded_by TEXT
    );
    CREATE INDEX escalations_referral ON escalations (referral_id);
    ALTER TABLE follow_ups ADD COLUMN referral_id INTEGER REFERENCES referrals (id);
    ALTER TABLE follow_ups ADD COLUMN escalation_id INTEGER REFERENCES escalations (id);
    CREATE INDEX follow_ups_referral ON follow_ups (referral_id) WHERE referral_id IS NOT NULL;
    """,
    # 7 -> 8: the child's statuses, Home's notices about them, and the history of the
    # child's record (storage/child_status_records.py, storage/children_records.py).
    # A status (a child protection plan, looked after, an EHCP...) has a start and, once
    # over, an end date; an early help plan's review is a follow-up carrying its id. A
    # notice on Home about a new concern (an open plan, a pattern continuing) goes once a
    # lead has dealt with it, with who, when and what they did. The child's details,
    # household and professionals keep each change: the value before and after, when
    # and by whom (rows written before this version have no history and no author).
    """
    CREATE TABLE child_statuses (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children (id),
        kind TEXT NOT NULL,  -- domain.child_status.StatusKind
        started_on TEXT NOT NULL,  -- a date
        ended_on TEXT,  -- a date; NULL while current
        details TEXT NOT NULL DEFAULT '{}',  -- JSON: lead professional, virtual school, review
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        ended_at TEXT,
        ended_by TEXT
    );
    CREATE INDEX child_statuses_child ON child_statuses (child_id, started_on);
    CREATE INDEX child_statuses_current ON child_statuses (child_id) WHERE ended_on IS NULL;
    ALTER TABLE follow_ups ADD COLUMN status_id INTEGER REFERENCES child_statuses (id);
    CREATE TABLE concern_notices_done (
        concern_id INTEGER NOT NULL REFERENCES concerns (id),
        child_id INTEGER NOT NULL REFERENCES children (id),
        notice TEXT NOT NULL,  -- domain.child_status.Notice
        done_at TEXT NOT NULL,
        done_by TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',  -- what the lead did (who they told)
        PRIMARY KEY (concern_id, child_id, notice)
    ) WITHOUT ROWID;
    CREATE TABLE child_history (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children (id),
        field TEXT NOT NULL,  -- a detail's key ('address'...), 'household', 'professional'
        previous TEXT NOT NULL,  -- JSON: the value before (null: added)
        current TEXT NOT NULL,  -- JSON: the value after (null: removed)
        changed_at TEXT NOT NULL,
        changed_by TEXT NOT NULL
    );
    CREATE INDEX child_history_child ON child_history (child_id, id);
    """,
    # 8 -> 9: the low-level concerns log (KCSIE Part four, section two): concerns about
    # adults below the harm threshold, kept apart from children's files, so no child id.
    """
    CREATE TABLE low_level_concerns (
        id INTEGER PRIMARY KEY,
        occurred_on TEXT NOT NULL,  -- a date
        adult_name TEXT NOT NULL,
        adult_role TEXT NOT NULL,
        what_happened TEXT NOT NULL,
        action_taken TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,  -- user name
        recorded_by_name TEXT NOT NULL
    );
    CREATE INDEX low_level_concerns_when ON low_level_concerns (occurred_on);
    """,
    # 9 -> 10: recording stations (services/stations.py): other PCs that seal concerns
    # into a shared drop folder. Invited from here; each proves it is the one invited
    # with the invitation's one-time secret, then signs what it sends with its own key.
    """
    CREATE TABLE stations (
        id TEXT PRIMARY KEY,  -- S-XXXX-XXXX
        name TEXT NOT NULL,  -- what the lead called it ("Staff room PC")
        drop_folder TEXT NOT NULL,  -- as the station was told to find it
        invited_at TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        enrolment_secret BLOB NOT NULL,
        public_key BLOB,  -- the station's own X25519 key, from its first (hello) file
        enrolled_at TEXT,
        removed_at TEXT,
        removed_by TEXT,
        last_seen TEXT,  -- when a file from it was last read here
        delivered INTEGER NOT NULL DEFAULT 0,  -- concerns taken in from it
        waiting INTEGER NOT NULL DEFAULT 0,  -- concerns its last heartbeat said were waiting
        oldest_waiting TEXT,  -- since when the oldest of those has waited
        recent TEXT NOT NULL DEFAULT '[]',  -- JSON: [reference, when] it delivered lately
        heartbeat_at TEXT,
        last_error TEXT NOT NULL DEFAULT ''  -- a code: services/stations.py words it
    ) WITHOUT ROWID;
    -- Files from the drop folder are kept aside by name and SHA-256 (never their
    -- content): found again without a scan, and recorded once however often met.
    ALTER TABLE quarantine ADD COLUMN file_sha256 TEXT;
    CREATE INDEX quarantine_ref ON quarantine (ref);
    """,
    # 10 -> 11: attachments (services/attachments.py): a scan of handwritten notes, a
    # letter, an email saved as PDF, kept with a concern (every child it names) or with
    # one child's file. The bytes live in a table of their own, so listing a record's
    # attachments never reads them; both are inside cases.db, under its key.
    """
    CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        concern_id INTEGER REFERENCES concerns (id),
        child_id INTEGER REFERENCES children (id),
        kind TEXT NOT NULL,  -- domain.attachments.AttachmentKind
        file_name TEXT NOT NULL,  -- as the user's file was called
        description TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,  -- of the bytes kept
        original_sha256 TEXT NOT NULL,  -- of the file as given
        removed TEXT NOT NULL DEFAULT '[]',  -- JSON: what was taken out on the way in
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        from_recorder INTEGER NOT NULL DEFAULT 0,
        CHECK ((concern_id IS NULL) != (child_id IS NULL))
    );
    CREATE INDEX attachments_concern ON attachments (concern_id) WHERE concern_id IS NOT NULL;
    CREATE INDEX attachments_child ON attachments (child_id) WHERE child_id IS NOT NULL;
    CREATE TABLE attachment_data (
        attachment_id INTEGER PRIMARY KEY REFERENCES attachments (id),
        data BLOB NOT NULL
    );
    """,
    # 11 -> 12: retention (services/retention.py). A lead's own review date for a child's
    # file, with why; legal holds, which stop deletion, kept after they are lifted; and,
    # on a concern that names other children too, the mark that one child's file was
    # deleted at its review (the concern stays for the others, unlinked from that child).
    """
    CREATE TABLE retention_dates (
        child_id INTEGER PRIMARY KEY REFERENCES children (id),
        review_on TEXT NOT NULL,  -- a date
        reason TEXT NOT NULL,
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL
    );
    CREATE TABLE legal_holds (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children (id),
        reason TEXT NOT NULL,
        placed_at TEXT NOT NULL,
        placed_by TEXT NOT NULL,
        lifted_at TEXT,
        lifted_by TEXT,
        lift_reason TEXT
    );
    CREATE INDEX legal_holds_child ON legal_holds (child_id) WHERE lifted_at IS NULL;
    ALTER TABLE concern_children ADD COLUMN file_deleted_at TEXT;
    """,
    # 12 -> 13: subject access requests (services/subject_access.py): who asked for a
    # child's records, when, how their identity was checked, the deadline; the words a
    # lead takes out and the items withheld, each with its exemption; the response released.
    """
    CREATE TABLE subject_access_requests (
        id INTEGER PRIMARY KEY,
        child_id INTEGER NOT NULL REFERENCES children (id),
        requester TEXT NOT NULL,
        relationship TEXT NOT NULL,
        received_on TEXT NOT NULL,  -- a date
        identity_checked TEXT NOT NULL,
        due_on TEXT NOT NULL,  -- a date: one calendar month, moved to a working day
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        released_at TEXT,
        released_by TEXT,
        released_sha256 TEXT,
        appendix_sha256 TEXT
    );
    CREATE INDEX subject_access_open ON subject_access_requests (due_on)
        WHERE released_at IS NULL;
    CREATE TABLE subject_access_terms (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES subject_access_requests (id),
        term TEXT NOT NULL,
        exemption TEXT NOT NULL,  -- domain.subject_access.Exemption
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
    );
    CREATE TABLE subject_access_withheld (
        request_id INTEGER NOT NULL REFERENCES subject_access_requests (id),
        item_key TEXT NOT NULL,  -- "concern:C-...", "action:12"...
        exemption TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        PRIMARY KEY (request_id, item_key)
    ) WITHOUT ROWID;
    """,
    # 13 -> 14: transfers of a child's file to a new school or club (services/transfer.py):
    # what was sent, to whom, how and when, and whether receipt was confirmed; what was
    # received from an earlier school or club, and its records, each kept as sent.
    """
    CREATE TABLE transfers_sent (
        id INTEGER PRIMARY KEY,
        transfer_id TEXT NOT NULL UNIQUE,  -- random, in the package and its receipt
        child_id INTEGER NOT NULL REFERENCES children (id),
        to_organisation TEXT NOT NULL,
        sent_how TEXT NOT NULL,
        made_at TEXT NOT NULL,
        made_by TEXT NOT NULL,
        pdf_sha256 TEXT NOT NULL,
        package_sha256 TEXT NOT NULL,
        receipt_key BLOB NOT NULL,  -- checks a receipt came from whoever opened the package
        receipt_due_on TEXT NOT NULL,  -- a date: 5 school days after it was made
        receipt_at TEXT,
        receipt_by TEXT,
        receipt_note TEXT,
        receipt_fingerprint TEXT  -- the receiver's certificate, when a receipt file came
    );
    CREATE INDEX transfers_sent_child ON transfers_sent (child_id);
    CREATE INDEX transfers_awaiting_receipt ON transfers_sent (receipt_due_on)
        WHERE receipt_at IS NULL;
    CREATE TABLE transfers_received (
        id INTEGER PRIMARY KEY,
        transfer_id TEXT NOT NULL UNIQUE,
        child_id INTEGER NOT NULL REFERENCES children (id),
        from_organisation TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        sent_by TEXT NOT NULL,
        sender_fingerprint TEXT NOT NULL,
        package_sha256 TEXT NOT NULL,
        receipt_key BLOB NOT NULL,
        received_at TEXT NOT NULL,
        received_by TEXT NOT NULL,
        -- the sender had decided a referral or report (retention: kept until 25)
        serious INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX transfers_received_child ON transfers_received (child_id);
    CREATE TABLE transferred_items (
        id INTEGER PRIMARY KEY,
        received_id INTEGER NOT NULL REFERENCES transfers_received (id),
        child_id INTEGER NOT NULL REFERENCES children (id),
        position INTEGER NOT NULL,
        section TEXT NOT NULL,
        heading TEXT NOT NULL,
        lines TEXT NOT NULL,  -- a JSON array of the lines, as sent
        occurred TEXT NOT NULL  -- ISO, or ""
    );
    CREATE INDEX transferred_items_child ON transferred_items (child_id);
    -- A file received whose child's file was later deleted at its review: the same
    -- package is refused rather than bring deleted records back (ids only, no content).
    CREATE TABLE transfers_deleted (
        transfer_id TEXT PRIMARY KEY,
        deleted_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
