"""Ledger checkpoints: the Merkle tree, signing, the published list, verify_ledger against the latest stored
checkpoint and against a copy held outside the database, and the append-only guard of both tables."""

import hashlib
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from credits.checkpoints import (
    checkpoint_public,
    checkpoint_verify,
    ledger_checkpoint_create,
    ledger_heads_root,
)
from credits.guards import guard_problems
from credits.ledger import entry_hash, merkle_root
from credits.models import LearnerAccount, LedgerCheckpoint, LedgerEntry
from tests.dbowner.guards import owner_guard_suspended
from tests.factories import LearnerFactory


def _rfc6962(leaves: list[bytes]) -> bytes:
    """The RFC 6962 definition, recursive, as the reference."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + _rfc6962(leaves[:k]) + _rfc6962(leaves[k:])).digest()


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 100])
def test_the_streaming_merkle_root_is_rfc_6962(n):
    leaves = [f"KF{i:011d}:{i}:{i:064x}".encode() for i in range(n)]
    assert merkle_root(iter(leaves)) == (_rfc6962(leaves).hex(), n)


def _verify(capsys, *args):
    try:
        call_command("verify_ledger", *args)
    except SystemExit as exc:
        return exc.code, capsys.readouterr().out
    return 0, capsys.readouterr().out


@pytest.fixture
def ledger(make_record, rules, learner):
    """Two accounts with a few entries each."""
    other = LearnerFactory()
    for hours in ("16", "32", "48"):
        make_record(learner=learner, hours=Decimal(hours))
    make_record(learner=other, hours=Decimal("16"))
    return LearnerAccount.objects.get(learner=learner)


def test_a_checkpoint_signs_the_heads_and_verify_ledger_checks_the_latest(ledger, learner, make_record, capsys):
    checkpoint, created = ledger_checkpoint_create()
    assert created and checkpoint.leaves == 2 and checkpoint.upto_entry == LedgerEntry.objects.latest("id").pk
    assert ledger_checkpoint_create() == (checkpoint, False)  # nothing new: nothing signed twice
    code, out = _verify(capsys)
    assert code == 0 and f"checkpoint {checkpoint.pk} OK: 2 chain(s)" in out
    make_record(learner=learner, hours=Decimal("16"))  # entries after the checkpoint are not its business
    assert checkpoint_verify(checkpoint_public(checkpoint))[0] == []
    newer, created = ledger_checkpoint_create()
    assert created and newer.upto_entry > checkpoint.upto_entry and newer.root != checkpoint.root


def test_a_chain_rewritten_and_rehashed_after_a_checkpoint_is_reported_against_the_published_copy(
        ledger, client, tmp_path, capsys):
    ledger_checkpoint_create()
    copy = tmp_path / "checkpoints.json"
    copy.write_bytes(client.get("/credits/checkpoints.json").content)  # the copy held outside the database
    assert _verify(capsys, "--checkpoint", str(copy))[0] == 0  # untampered: passes

    # The owner switches the guard off, changes an entry, recomputes the chain and its head so that every hash
    # checks out, and deletes the stored checkpoints.
    with owner_guard_suspended(), connection.cursor() as cur:
        cur.execute("UPDATE credits_ledgerentry SET credits = %s WHERE account_id = %s AND seq = 1",
                    [Decimal("9.0"), ledger.pk])
        prev = ""
        for e in LedgerEntry.objects.filter(account=ledger).order_by("seq"):
            digest = entry_hash(account_number=ledger.number, seq=e.seq, kind=e.kind, outcome_id=e.outcome_id,
                                application_id=e.application_id, credits=e.credits, memo=e.memo,
                                created_at=e.created_at, prev_hash=prev)
            cur.execute("UPDATE credits_ledgerentry SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, e.pk])
            prev = digest
        balance = sum(LedgerEntry.objects.filter(account=ledger).values_list("credits", flat=True))
        cur.execute("UPDATE credits_learneraccount SET last_hash = %s, balance = %s WHERE id = %s",
                    [prev, balance, ledger.pk])
        cur.execute("DELETE FROM credits_ledgercheckpoint")

    code, out = _verify(capsys)  # the chains alone are consistent again, and nothing is stored to compare with
    assert code == 0 and "no checkpoint stored yet" in out
    code, out = _verify(capsys, "--checkpoint", str(copy))
    assert code == 1
    assert "root mismatch" in out and "a chain covered by the checkpoint was rewritten" in out


def test_a_copy_whose_fields_or_signature_were_changed_is_refused(ledger, tmp_path, capsys):
    copy = checkpoint_public(ledger_checkpoint_create()[0])
    altered = {**copy, "root": "0" * 64}
    problems, _payload = checkpoint_verify(altered)
    assert problems == [f"checkpoint {copy['id']}: the copy's root ('{'0' * 64}') differs from the signed "
                        f"'{copy['root']}'"]
    head, body, sig = copy["jws"].split(".")
    forged = {**copy, "jws": f"{head}.{body}.{sig[:-4]}AAAA"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(forged))
    code, out = _verify(capsys, "--checkpoint", str(path))
    assert code == 1 and "signature invalid" in out


def test_verify_with_another_public_key_refuses_the_signature(ledger, tmp_path, capsys):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from credits.credentials import b64url

    copy = tmp_path / "c.json"
    copy.write_text(json.dumps(checkpoint_public(ledger_checkpoint_create()[0])))
    other = Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                   serialization.PublicFormat.Raw)
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64url(other)}))
    code, out = _verify(capsys, "--checkpoint", str(copy), "--public-key", str(key))
    assert code == 1 and "signature invalid" in out


def test_heads_are_those_up_to_the_checkpoint(ledger, learner, make_record):
    upto = LedgerEntry.objects.latest("id").pk
    before = ledger_heads_root(upto_entry=upto)
    make_record(learner=learner, hours=Decimal("16"))
    make_record(learner=LearnerFactory(), hours=Decimal("16"))
    assert ledger_heads_root(upto_entry=upto) == before
    assert ledger_heads_root(upto_entry=0) == (hashlib.sha256(b"").hexdigest(), 0)


# --- the guard ------------------------------------------------------------------------------------------


def test_the_migrated_database_has_every_guard_and_verify_reports_a_missing_one(ledger, capsys):
    assert guard_problems() == []
    with owner_guard_suspended():
        problems = guard_problems()
        assert len(problems) == 4 and all("credits_ledger" in p for p in problems)
        code, out = _verify(capsys)
    assert code == 1 and "append-only trigger" in out
    assert guard_problems() == []  # back after the owner's maintenance


@pytest.mark.parametrize("table", ["credits_ledgerentry", "credits_ledgercheckpoint"])
def test_update_and_delete_are_refused_on_both_tables(ledger, table):
    ledger_checkpoint_create()
    for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert LedgerCheckpoint.objects.count() == 1 and LedgerEntry.objects.count() == 4


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["credits_ledgerentry", "credits_ledgercheckpoint"])
def test_even_the_owner_is_refused_truncate_and_replica_mode_does_not_skip_the_guard(ledger, table):
    ledger_checkpoint_create()
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own deferred FK checks would refuse it first
        c.execute(f"TRUNCATE {table} CASCADE")
    with pytest.raises(DatabaseError, match="append-only: DELETE"), transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")
        c.execute(f"DELETE FROM {table}")
    assert LedgerCheckpoint.objects.count() == 1 and LedgerEntry.objects.count() == 4


# --- the public pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "heading", "empty"), [("zh-hans", "账本检查点", "尚无检查点。"),
                                                            ("en", "Ledger checkpoints", "No checkpoint yet.")])
def test_the_checkpoints_page_is_public_in_both_languages(db, client, language, heading, empty):
    client.cookies["django_language"] = language
    html = client.get("/credits/checkpoints/").content.decode()
    assert f"<h1>{heading}</h1>" in html and empty in html


def test_the_checkpoints_page_and_json_list_them_and_the_verify_page_links_there(
        ledger, learner, make_record, client, django_assert_max_num_queries):
    first = ledger_checkpoint_create()[0]
    make_record(learner=learner, hours=Decimal("16"))
    second = ledger_checkpoint_create()[0]
    with django_assert_max_num_queries(3):
        html = client.get("/credits/checkpoints/").content.decode()
    assert html.index(second.root) < html.index(first.root)  # newest first
    assert ledger.number not in html
    document = client.get("/credits/checkpoints.json").json()
    assert [c["id"] for c in document["checkpoints"]] == [second.pk, first.pk]
    assert document["public_key_jwk"]["crv"] == "Ed25519" and document["key_id"] == first.key_id
    assert ledger.number not in json.dumps(document)
    assert 'href="/credits/checkpoints/"' in client.get("/credits/verify/").content.decode()
    assert 'href="/credits/checkpoints/"' in client.get("/").content.decode()  # the footer


def test_the_beat_schedule_signs_a_checkpoint_daily(ledger, settings):
    from credits.tasks import ledger_checkpoint

    entry = settings.CELERY_BEAT_SCHEDULE["credits.ledger_checkpoint"]
    assert entry["task"] == ledger_checkpoint.name and entry["schedule"].hour == {4}
    ledger_checkpoint.delay()
    ledger_checkpoint.delay()
    assert LedgerCheckpoint.objects.count() == 1


def test_the_ledger_checkpoint_command_prints_what_is_published(ledger, capsys):
    call_command("ledger_checkpoint")
    printed = json.loads(capsys.readouterr().out)
    assert printed == checkpoint_public(LedgerCheckpoint.objects.get())


@pytest.mark.django_db(transaction=True)
def test_the_test_databases_flush_empties_the_guarded_tables_through_the_owner_and_keeps_the_guard(
        make_record, rules, learner):
    make_record(learner=learner)
    ledger_checkpoint_create()
    # what every transactional test's teardown runs: without resetting the sequences, or the rows that later
    # serialized-rollback tests restore (with their keys) would collide with new ones
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=False)
    assert not LedgerEntry.objects.exists() and not LedgerCheckpoint.objects.exists()
    assert guard_problems() == []
