"""Placeholder until the edge package lands: Accept negotiation for CSV."""


def prefers_csv(accept: str | bytes | None) -> bool:
    """Whether `Accept` prefers text/csv to JSON (q-values honoured, case-insensitive)."""
    if not accept:
        return False
    text = accept.decode("latin-1") if isinstance(accept, bytes) else accept
    best: dict[str, float] = {}
    for part in text.lower().split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        best[media] = max(best.get(media, 0.0), q)
    csv = best.get("text/csv", 0.0)
    json = max(
        best.get("application/json", 0.0),
        best.get("*/*", 0.0) if "application/json" not in best else 0.0,
    )
    return csv > 0 and csv > json
