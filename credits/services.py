"""Credit bank writes. (Being built: outcomes, valuation, ledger, conversion; see the credit bank issue.)"""


def outcome_from_record(*, record) -> None:
    """Turn an eligible learning record into a certified outcome and deposit its credits.

    Interface for credits.records and the courses app (via record_upsert). Idempotent: at most
    one outcome per record. The credit bank implementation replaces this body.
    """
    return None
