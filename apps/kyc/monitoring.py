"""Transaction monitoring's rule table (settings.KYC_MONITORING_RULES), validated and read.
Pure functions: no database here (the rules' queries are in services/monitoring_rules.py).

    {"velocity": {"enabled": true, "max_count": 10, "window_hours": 24, "severity": "medium"},
     "large_amount": {"thresholds": {"XOF": 5000000, "*": …}, "severity": "high"},
     "structuring": {"caps": {"XOF": [2000000, 5000000]}, "margin_percent": 10,
                     "min_count": 3, "window_hours": 72, "severity": "high"},
     "many_payers": {"max_payers": 30, "window_hours": 24, "severity": "medium"},
     "payout_after_collections": {"min_new_payers": 10, "new_payer_days": 30,
                                  "window_hours": 48, "severity": "high"}}

A rule missing from the table, or with "enabled": false, does not run.
"""

from __future__ import annotations

SEVERITIES = {"low": 1, "medium": 2, "high": 3}

# rule -> {parameter: kind}; "amounts" is {currency: int}, "caps" {currency: [int, …]}
PARAMETERS: dict[str, dict[str, str]] = {
    "velocity": {"max_count": "count", "window_hours": "hours"},
    "large_amount": {"thresholds": "amounts"},
    "structuring": {
        "caps": "caps",
        "margin_percent": "percent",
        "min_count": "count",
        "window_hours": "hours",
    },
    "many_payers": {"max_payers": "count", "window_hours": "hours"},
    "payout_after_collections": {
        "min_new_payers": "count",
        "new_payer_days": "count",
        "window_hours": "hours",
    },
}


class MonitoringRulesInvalid(ValueError):
    pass


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _currency_table(rule: str, name: str, table, *, caps: bool) -> None:
    if not isinstance(table, dict) or not table:
        raise MonitoringRulesInvalid(
            f"KYC_MONITORING_RULES[{rule!r}][{name!r}] must map currencies to amounts"
        )
    for currency, value in table.items():
        if currency != "*" and (len(currency) != 3 or not currency.isalpha() or not currency.isupper()):
            raise MonitoringRulesInvalid(
                f"KYC_MONITORING_RULES[{rule!r}][{name!r}]: {currency!r} is not a currency"
            )
        values = value if caps and isinstance(value, list) else [value]
        if not values or not all(_positive_int(v) for v in values):
            raise MonitoringRulesInvalid(
                f"KYC_MONITORING_RULES[{rule!r}][{name!r}][{currency!r}] must be "
                + ("a list of integers > 0" if caps else "an integer > 0")
            )


def validate_rules(table) -> None:
    if not isinstance(table, dict):
        raise MonitoringRulesInvalid("KYC_MONITORING_RULES must be an object of rules")
    for rule, entry in table.items():
        if rule not in PARAMETERS:
            raise MonitoringRulesInvalid(
                f"KYC_MONITORING_RULES: unknown rule {rule!r} ({sorted(PARAMETERS)})"
            )
        if not isinstance(entry, dict):
            raise MonitoringRulesInvalid(f"KYC_MONITORING_RULES[{rule!r}] must be an object")
        if entry.get("severity", "medium") not in SEVERITIES:
            raise MonitoringRulesInvalid(
                f"KYC_MONITORING_RULES[{rule!r}]['severity'] must be low, medium or high"
            )
        if not isinstance(entry.get("enabled", True), bool):
            raise MonitoringRulesInvalid(f"KYC_MONITORING_RULES[{rule!r}]['enabled'] must be true or false")
        for name, kind in PARAMETERS[rule].items():
            if name not in entry:
                raise MonitoringRulesInvalid(f"KYC_MONITORING_RULES[{rule!r}] needs {name!r}")
            value = entry[name]
            if kind in ("amounts", "caps"):
                _currency_table(rule, name, value, caps=kind == "caps")
            elif kind == "percent":
                if not _positive_int(value) or value >= 100:
                    raise MonitoringRulesInvalid(f"KYC_MONITORING_RULES[{rule!r}][{name!r}] must be 1-99")
            elif not _positive_int(value):
                raise MonitoringRulesInvalid(
                    f"KYC_MONITORING_RULES[{rule!r}][{name!r}] must be an integer > 0"
                )


def enabled_rules(table: dict) -> dict[str, dict]:
    """{rule: its entry} for the rules that run."""
    return {rule: entry for rule, entry in table.items() if rule in PARAMETERS and entry.get("enabled", True)}


def severity(entry: dict) -> int:
    return SEVERITIES[entry.get("severity", "medium")]


def for_currency(table: dict, currency: str):
    """The entry of a currency table for `currency` ("*" otherwise), None when neither."""
    return table.get(currency, table.get("*"))


def near_cap(amount: int, cap: int, margin_percent: int) -> bool:
    """`amount` is under `cap` by at most `margin_percent` % of it: cap·(1 − m/100) ≤ amount < cap
    (integer arithmetic: amount·100 ≥ cap·(100 − m))."""
    return amount < cap and amount * 100 >= cap * (100 - margin_percent)


def score(observed: int, threshold: int) -> int:
    """0-100: 50 at the threshold, growing with how far past it the observation is."""
    if threshold <= 0:
        return 100
    return max(1, min(100, round(50 * observed / threshold)))
